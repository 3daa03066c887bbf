#include "instctl/federation/domain_store.hpp"

#include <fmt/format.h>

#include "instctl/db/read_memo.hpp"
#include "instctl/db/row_batches.hpp"

namespace instctl::federation {

namespace {
const char* const k_domain_columns =
    "id, domain, severity, reject_media, reject_reports, obfuscate, public_comment, "
    "private_comment, created_at, updated_at";

DomainRule read_rule(db::Statement& st) {
  DomainRule r;
  st.read_all(r.id, r.domain, db::parsed(r.severity, parse_severity), r.reject_media,
              r.reject_reports, r.obfuscate, r.public_comment, r.private_comment, r.created_at,
              r.updated_at);
  return r;
}
}  // namespace

std::vector<DomainRule> DomainStore::query(const std::string& where,
                                           const std::vector<std::string>& args) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM domain_blocks {}", k_domain_columns, where));
  for (std::size_t i = 0; i < args.size(); ++i) st->bind(static_cast<int>(i + 1), args[i]);
  std::vector<DomainRule> out;
  while (st->step()) out.push_back(read_rule(*st));
  return out;
}

std::optional<DomainRule> DomainStore::block(std::string_view domain) {
  auto rows = query("WHERE domain = ?", {std::string(domain)});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<DomainRule> DomainStore::most_specific_block(std::string_view domain) {
  // One lookup on the unique index per level, most specific first: the inbox asks this for
  // every request, and an IN (...) ORDER BY needs a temporary sort each time.
  return db::remembered(m_db, "block", domain, [&]() -> std::optional<DomainRule> {
    for (const auto& name : domain_and_parents(domain)) {
      if (auto rule = block(name)) return rule;
    }
    return std::nullopt;
  });
}

std::vector<DomainRule> DomainStore::blocks() { return query("ORDER BY id", {}); }

void DomainStore::insert_block(const DomainRule& r, UnixTime now) {
  m_db.prepare(
          "INSERT INTO domain_blocks (domain, severity, reject_media, reject_reports, obfuscate, "
          "public_comment, private_comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?)")
      ->bind_all(r.domain, to_string(r.severity), r.reject_media, r.reject_reports, r.obfuscate,
                 r.public_comment, r.private_comment, now, now)
      .run();
}

void DomainStore::insert_blocks(const std::vector<DomainRule>& rules, UnixTime now) {
  db::write_rows(m_db,
                 "INSERT INTO domain_blocks (domain, severity, reject_media, reject_reports, "
                 "obfuscate, public_comment, private_comment, created_at, updated_at) VALUES",
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?)", "", rules.size(),
                 [&](db::Statement& st, int first, std::size_t i) {
                   const auto& r = rules[i];
                   st.bind_from(first, r.domain, to_string(r.severity), r.reject_media,
                                r.reject_reports, r.obfuscate, r.public_comment, r.private_comment,
                                now, now);
                 });
}

void DomainStore::update_block(const DomainRule& r, UnixTime now) {
  m_db.prepare(
          "UPDATE domain_blocks SET severity = ?, reject_media = ?, reject_reports = ?, "
          "obfuscate = ?, public_comment = ?, private_comment = ?, updated_at = ? WHERE domain = ?")
      ->bind_all(to_string(r.severity), r.reject_media, r.reject_reports, r.obfuscate,
                 r.public_comment, r.private_comment, now, r.domain)
      .run();
}

bool DomainStore::delete_block(std::string_view domain) {
  m_db.prepare("DELETE FROM domain_blocks WHERE domain = ?")->bind_all(domain).run();
  return m_db.changes() > 0;
}

bool DomainStore::insert_allow(std::string_view domain, UnixTime now) {
  m_db.prepare(
          "INSERT INTO domain_allows (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
      ->bind_all(domain, now)
      .run();
  return m_db.changes() > 0;
}

bool DomainStore::delete_allow(std::string_view domain) {
  m_db.prepare("DELETE FROM domain_allows WHERE domain = ?")->bind_all(domain).run();
  return m_db.changes() > 0;
}

std::vector<std::string> DomainStore::allows() {
  auto st = m_db.prepare("SELECT domain FROM domain_allows ORDER BY id");
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

bool DomainStore::allowed(std::string_view domain) {
  return db::remembered(m_db, "allowed", domain, [&] {
    auto st = m_db.prepare("SELECT 1 FROM domain_allows WHERE domain = ?");
    for (const auto& name : domain_and_parents(domain)) {
      st->reset();
      st->bind(1, name);
      if (st->step()) return true;
    }
    return false;
  });
}

std::int64_t DomainStore::count_blocks() {
  auto st = m_db.prepare("SELECT count(*) FROM domain_blocks");
  st->step();
  return st->get_int(0);
}

}  // namespace instctl::federation
