// instctl rules: the instance rules that reports refer to.

#include "instctl/instance/rules.hpp"

#include <fmt/format.h>

#include "cli.hpp"

namespace instctl::cli {
namespace {

const View k_rules_view{{"id", "text", "hint"}, "id", "rules"};

void setup_rules(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "rules", "The instance rules shown to members and used in reports");

  group->add_subcommand("list", "Show the rules")->callback([&ctx] {
    Json rows = Json::array();
    for (const auto& r : instance::list_rules(ctx.db())) rows.push_back(instance::to_json(r));
    ctx.out().list(rows, k_rules_view);
  });

  struct AddOptions {
    std::string text;
    std::string hint;
  };
  auto o = std::make_shared<AddOptions>();
  auto* add = group->add_subcommand("add", "Add a rule");
  add->add_option("TEXT", o->text, "The rule")->required();
  add->add_option("--hint", o->hint, "A longer explanation");
  add->callback([&ctx, o] {
    const auto rule = instance::add_rule(ctx.env(), o->text, o->hint);
    ctx.out().item(instance::to_json(rule), k_rules_view);
    ctx.out().note(fmt::format("Added rule {}.", rule.id));
  });

  auto id = std::make_shared<std::int64_t>(0);
  auto* remove = group->add_subcommand("remove", "Remove a rule (old reports keep naming it)");
  remove->add_option("ID", *id, "The rule's id (see 'rules list')")->required();
  remove->callback([&ctx, id] {
    instance::remove_rule(ctx.env(), *id);
    ctx.out().note(fmt::format("Removed rule {}.", *id));
  });
}

}  // namespace

INSTCTL_COMMAND_GROUP(25, "rules", setup_rules);

}  // namespace instctl::cli
