#include "instctl/instance/settings.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/settings_store.hpp"

namespace instctl::instance {

std::optional<std::string> Settings::stored(std::string_view key) const {
  return SettingsStore(m_db).get(key);
}

std::string Settings::get(std::string_view key) const {
  const auto& k = require_config_key(key);
  if (auto v = stored(key)) return *v;
  return std::string(k.default_value);
}

std::vector<Setting> Settings::list() const {
  std::vector<Setting> out;
  for (const auto& k : config_keys()) {
    auto v = stored(k.name);
    out.push_back({std::string(k.name), v ? *v : std::string(k.default_value), !v.has_value()});
  }
  return out;
}

void Settings::put(std::string_view key, std::string_view value, UnixTime now) {
  SettingsStore(m_db).put(key, value, now);
}

std::string Settings::set(Env& env, std::string_view key, std::string_view value) {
  const std::string canonical = validate_config_value(key, value);
  db::Transaction tx(m_db);
  const auto before = stored(key);
  put(key, canonical, env.clock.now());
  // File settings hold paths, never secrets, so both values may be logged.
  Json details{{"value", canonical}};
  if (before) details["previous"] = *before;
  audit::record(env, "config.set", fmt::format("config:{}", key), details);
  tx.commit();
  return canonical;
}

void Settings::unset(Env& env, std::string_view key) {
  require_config_key(key);
  db::Transaction tx(m_db);
  const auto before = stored(key);
  SettingsStore(m_db).remove(key);
  Json details = Json::object();
  if (before) details["previous"] = *before;
  audit::record(env, "config.unset", fmt::format("config:{}", key), details);
  tx.commit();
}

}  // namespace instctl::instance
