#include "instctl/federation/peer_store.hpp"

#include "instctl/db/dialect.hpp"
#include "instctl/util/time.hpp"

namespace instctl::federation {

namespace {
Json time_or_null(const std::optional<UnixTime>& t) {
  return t ? Json(util::format_time(*t)) : Json(nullptr);
}
}  // namespace

void PeerStore::ensure(std::string_view domain, UnixTime now) {
  m_db.prepare("INSERT INTO peers (domain, first_seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
      ->bind_all(domain, now)
      .run();
}

void PeerStore::record_contact(std::string_view domain, UnixTime now,
                               const std::optional<std::string>& software,
                               const std::optional<std::string>& version) {
  ensure(domain, now);
  m_db.prepare(
          "UPDATE peers SET last_contact_at = ?, software = coalesce(?, software), "
          "software_version = coalesce(?, software_version) WHERE domain = ?")
      ->bind_all(now, software, version, domain)
      .run();
}

void PeerStore::record_error(std::string_view domain, std::string_view error, UnixTime now) {
  ensure(domain, now);
  m_db.prepare("UPDATE peers SET last_error = ?, last_error_at = ? WHERE domain = ?")
      ->bind_all(error, now, domain)
      .run();
}

std::vector<Peer> PeerStore::list() {
  auto st = m_db.prepare(
      "SELECT domain, software, software_version, first_seen_at, last_contact_at, last_error, "
      "last_error_at FROM peers ORDER BY " + db::byte_order(m_db.dialect(), "domain"));
  std::vector<Peer> out;
  while (st->step()) {
    Peer p;
    p.domain = st->get_text(0);
    p.software = st->get_opt_text(1).value_or("");
    p.software_version = st->get_opt_text(2).value_or("");
    p.first_seen_at = st->get_int(3);
    p.last_contact_at = st->get_opt_int(4);
    p.last_error = st->get_opt_text(5).value_or("");
    p.last_error_at = st->get_opt_int(6);
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<Peer> PeerStore::get(std::string_view domain) {
  for (auto& p : list()) {
    if (p.domain == domain) return p;
  }
  return std::nullopt;
}

std::int64_t PeerStore::count() {
  auto st = m_db.prepare("SELECT count(*) FROM peers");
  st->step();
  return st->get_int(0);
}

Json to_json(const Peer& p, const std::string& block_state) {
  return Json{{"domain", p.domain},
              {"software", p.software},
              {"software_version", p.software_version},
              {"first_seen_at", util::format_time(p.first_seen_at)},
              {"last_contact_at", time_or_null(p.last_contact_at)},
              {"last_error", p.last_error},
              {"last_error_at", time_or_null(p.last_error_at)},
              {"block", block_state}};
}

}  // namespace instctl::federation
