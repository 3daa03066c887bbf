// instctl email-blocks: email domains refused for sign-ups and the waitlist.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/email_blocks/email_block_service.hpp"

namespace instctl::cli {
namespace {

using email_blocks::EmailBlockService;

const View k_email_blocks_view{{"domain", "created_at"}, "domain", "blocked email domains"};

Json rows(const std::vector<email_blocks::EmailBlock>& list) {
  Json out = Json::array();
  for (const auto& b : list) out.push_back(email_blocks::to_json(b));
  return out;
}

void setup_email_blocks(CLI::App& app, Context& ctx) {
  auto* group =
      add_group(app, "email-blocks",
                "Email domains refused for sign-ups and the waitlist (subdomains included)");
  auto added = std::make_shared<std::vector<std::string>>();
  auto* add = group->add_subcommand("add", "Block email domains");
  add->add_option("DOMAIN", *added, "Email domains, e.g. spam.example")->required();
  add->callback([&ctx, added] {
    EmailBlockService svc(ctx.env());
    const auto r = rows(svc.add(*added));
    ctx.out().list(r, k_email_blocks_view);
    if (!r.empty())
      ctx.out().note(
          fmt::format("Blocked sign-ups from {} (and subdomains).", field_list(r, "domain")));
  });

  auto removed = std::make_shared<std::vector<std::string>>();
  auto* remove = group->add_subcommand("remove", "Lift email domain blocks");
  remove->add_option("DOMAIN", *removed, "Blocked email domains")->required();
  remove->callback([&ctx, removed] {
    EmailBlockService svc(ctx.env());
    const auto r = rows(svc.remove(*removed));
    ctx.out().list(r, k_email_blocks_view);
    if (!r.empty())
      ctx.out().note(fmt::format("Lifted the email block on {}.", field_list(r, "domain")));
  });

  auto* list = group->add_subcommand("list", "List the blocked email domains");
  list->callback([&ctx] {
    EmailBlockService svc(ctx.env());
    ctx.out().list(rows(svc.list()), k_email_blocks_view);
  });
}

}  // namespace

INSTCTL_COMMAND_GROUP(47, "email-blocks", setup_email_blocks);

}  // namespace instctl::cli
