#include "instctl/instance/settings_store.hpp"

#include "instctl/db/read_memo.hpp"

namespace instctl::instance {

std::optional<std::string> SettingsStore::get(std::string_view key) const {
  return db::remembered(m_db, "setting", key, [&]() -> std::optional<std::string> {
    auto st = m_db.prepare("SELECT value FROM settings WHERE key = ?");
    st->bind_all(key);
    if (!st->step()) return std::nullopt;
    return st->get_text(0);
  });
}

void SettingsStore::put(std::string_view key, std::string_view value, UnixTime now) {
  m_db.prepare(
          "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = "
          "excluded.updated_at")
      ->bind_all(key, value, now)
      .run();
}

void SettingsStore::remove(std::string_view key) {
  m_db.prepare("DELETE FROM settings WHERE key = ?")->bind_all(key).run();
}

}  // namespace instctl::instance
