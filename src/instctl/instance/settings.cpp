#include "instctl/instance/settings.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"

namespace instctl::instance {

std::optional<std::string> Settings::stored(std::string_view key) const {
  auto st = m_db.prepare("SELECT value FROM settings WHERE key = ?");
  st->bind_all(key);
  if (!st->step()) return std::nullopt;
  return st->get_text(0);
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
  m_db.prepare(
          "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      ->bind_all(key, value, now)
      .run();
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
  m_db.prepare("DELETE FROM settings WHERE key = ?")->bind_all(key).run();
  Json details = Json::object();
  if (before) details["previous"] = *before;
  audit::record(env, "config.unset", fmt::format("config:{}", key), details);
  tx.commit();
}

}  // namespace instctl::instance
