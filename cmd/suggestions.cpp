// instctl suggestions: local accounts featured to newcomers on the welcome page.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/suggestions/suggestion_service.hpp"

namespace instctl::cli {
namespace {

using suggestions::SuggestionService;

const View k_suggestions_view{{"handle", "display_name", "status", "suggested_at", "suggested_by"},
                              "username",
                              "suggested accounts"};

Json rows(SuggestionService& svc, const std::vector<suggestions::Suggestion>& list) {
  Json out = Json::array();
  for (const auto& s : list) out.push_back(svc.to_json(s));
  return out;
}

void setup_suggestions(CLI::App& app, Context& ctx) {
  auto* group =
      add_group(app, "suggestions",
                "Local accounts suggested to newcomers on the welcome page after sign-up");
  auto added = std::make_shared<std::vector<std::string>>();
  auto* add = group->add_subcommand("add", "Suggest active local users to newcomers");
  add->add_option("USER", *added, "Local users: username, @username, user@domain, email or id:N")
      ->required();
  add->callback([&ctx, added] {
    SuggestionService svc(ctx.env());
    const auto r = rows(svc, svc.add(*added));
    ctx.out().list(r, k_suggestions_view);
    if (!r.empty())
      ctx.out().note(fmt::format("Suggesting {} to newcomers.", field_list(r, "handle")));
  });

  auto removed = std::make_shared<std::vector<std::string>>();
  auto* remove = group->add_subcommand("remove", "Stop suggesting users");
  remove->add_option("USER", *removed, "Suggested users")->required();
  remove->callback([&ctx, removed] {
    SuggestionService svc(ctx.env());
    const auto r = rows(svc, svc.remove(*removed));
    ctx.out().list(r, k_suggestions_view);
    if (!r.empty())
      ctx.out().note(fmt::format("No longer suggesting {}.", field_list(r, "handle")));
  });

  group->add_subcommand("list", "List the suggested accounts, oldest first, with their status")
      ->callback([&ctx] {
        SuggestionService svc(ctx.env());
        ctx.out().list(rows(svc, svc.list()), k_suggestions_view);
      });
}

}  // namespace

INSTCTL_COMMAND_GROUP(48, "suggestions", setup_suggestions);

}  // namespace instctl::cli
