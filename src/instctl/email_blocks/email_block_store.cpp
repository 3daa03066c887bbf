#include "instctl/email_blocks/email_block_store.hpp"

#include "instctl/db/dialect.hpp"

namespace instctl::email_blocks {

bool EmailBlockStore::exists(const std::string& domain) {
  auto st = m_db.prepare("SELECT 1 FROM email_domain_blocks WHERE domain = ?");
  st->bind_all(domain);
  return st->step();
}

void EmailBlockStore::insert(const std::string& domain, UnixTime now) {
  m_db.prepare("INSERT INTO email_domain_blocks (domain, created_at) VALUES (?, ?)")
      ->bind_all(domain, now)
      .run();
}

bool EmailBlockStore::remove(const std::string& domain) {
  m_db.prepare("DELETE FROM email_domain_blocks WHERE domain = ?")->bind_all(domain).run();
  return m_db.changes() == 1;
}

std::vector<EmailBlock> EmailBlockStore::list() {
  auto st = m_db.prepare("SELECT domain, created_at FROM email_domain_blocks ORDER BY " +
                         db::byte_order(m_db.dialect(), "domain"));
  std::vector<EmailBlock> out;
  while (st->step()) out.push_back({st->get_text(0), st->get_int(1)});
  return out;
}

std::int64_t EmailBlockStore::count() {
  auto st = m_db.prepare("SELECT count(*) FROM email_domain_blocks");
  st->step();
  return st->get_int(0);
}

std::optional<std::string> EmailBlockStore::first_blocked(const std::vector<std::string>& domains) {
  auto st = m_db.prepare("SELECT 1 FROM email_domain_blocks WHERE domain = ?");
  for (const auto& d : domains) {
    st->reset();
    st->bind_all(d);
    if (st->step()) return d;
  }
  return std::nullopt;
}

}  // namespace instctl::email_blocks
