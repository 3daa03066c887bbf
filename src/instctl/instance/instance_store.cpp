#include "instctl/instance/instance_store.hpp"

#include "instctl/db/dialect.hpp"
#include "instctl/db/read_memo.hpp"

namespace instctl::instance {

bool InstanceStore::exists() {
  if (!db::table_exists(m_db, "instance")) return false;
  auto rows = m_db.prepare("SELECT count(*) FROM instance");
  rows->step();
  return rows->get_int(0) > 0;
}

std::optional<InstanceRow> InstanceStore::find() {
  return db::remembered(m_db, "instance", "", [&]() -> std::optional<InstanceRow> {
    auto st = m_db.prepare("SELECT domain, account_domain, created_at FROM instance WHERE id = 1");
    if (!st->step()) return std::nullopt;
    InstanceRow row;
    st->read_all(row.domain, row.account_domain, row.created_at);
    return row;
  });
}

void InstanceStore::insert(const InstanceRow& row, const std::string& public_key_pem,
                           const std::string& private_key_pem) {
  m_db.prepare(
          "INSERT INTO instance (id, domain, account_domain, actor_public_key_pem, "
          "actor_private_key_pem, created_at) VALUES (1, ?, ?, ?, ?, ?)")
      ->bind_all(row.domain, row.account_domain, public_key_pem, private_key_pem, row.created_at)
      .run();
}

std::optional<std::pair<std::string, std::string>> InstanceStore::actor_keys() {
  auto st =
      m_db.prepare("SELECT actor_public_key_pem, actor_private_key_pem FROM instance WHERE id = 1");
  if (!st->step() || st->is_null(0)) return std::nullopt;
  return std::pair{st->get_text(0), st->get_text(1)};
}

}  // namespace instctl::instance
