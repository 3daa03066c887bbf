// instctl config: instance settings.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"

namespace instctl::cli {
namespace {

// `set`: the value was set with `config set` (not the default). `default` (true when not set)
// is the older name of the same fact, kept in JSON for scripts; a table shows the default
// value under DEFAULT instead.
Json setting_json(const std::string& key, const std::string& value, bool is_default) {
  const auto& k = require_config_key(key);
  return Json{{"key", key},
              {"value", value},
              {"default_value", std::string(k.default_value)},
              {"set", !is_default},
              {"default", is_default},
              {"description", std::string(k.description)}};
}

const View k_config_view{{"key", "value", "default_value", "set"},
                         "value",
                         "settings",
                         {"default"},
                         {"key", "value", "default", "set"}};

// In a table, a set value is marked "yes" and the rest left blank, easier to scan than
// true/false.
Json for_people(Context& ctx, Json rows) {
  if (ctx.out().format() != Format::table) return rows;
  for (auto& r : rows) r["set"] = r["set"].get<bool>() ? "yes" : "";
  return rows;
}

void setup_config(CLI::App& app, Context& ctx) {
  auto* group =
      add_group(app, "config", "Instance settings (registrations, mail, federation, ...)");

  group->add_subcommand("list", "Show every setting with its value")->callback([&ctx] {
    Json rows = Json::array();
    for (const auto& s : instance::Settings(ctx.db()).list()) {
      rows.push_back(setting_json(s.key, s.value, s.is_default));
    }
    ctx.out().list(for_people(ctx, rows), k_config_view);
  });

  auto key = std::make_shared<std::string>();
  auto* get = group->add_subcommand("get", "Print one setting");
  get->add_option("KEY", *key, "Setting name, e.g. registrations.mode")->required();
  get->callback([&ctx, key] {
    instance::Settings settings(ctx.db());
    const auto stored = settings.stored(*key);
    ctx.out().item(
        for_people(ctx, Json::array({setting_json(*key, settings.get(*key), !stored)}))[0],
        k_config_view);
  });

  auto value = std::make_shared<std::string>();
  auto* set = group->add_subcommand("set", "Change a setting (validated per key)");
  set->add_option("KEY", *key, "Setting name")->required();
  set->add_option("VALUE", *value, "New value")->required();
  set->callback([&ctx, key, value] {
    const auto canonical = instance::Settings(ctx.db()).set(ctx.env(), *key, *value);
    ctx.out().item(setting_json(*key, canonical, false), k_config_view);
    ctx.out().note(fmt::format("{} = {}", *key, canonical));
  });

  auto* unset = group->add_subcommand("unset", "Return a setting to its default");
  unset->add_option("KEY", *key, "Setting name")->required();
  unset->callback([&ctx, key] {
    instance::Settings settings(ctx.db());
    settings.unset(ctx.env(), *key);
    const auto current = settings.get(*key);
    ctx.out().item(setting_json(*key, current, true), k_config_view);
    ctx.out().note(fmt::format("{} is back to its default{}.", *key,
                               current.empty() ? "" : " (" + current + ")"));
  });
}

}  // namespace

INSTCTL_COMMAND_GROUP(20, "config", setup_config);

}  // namespace instctl::cli
