#include "instctl/federation/peer_store.hpp"

#include "instctl/db/dialect.hpp"
#include "instctl/db/read_memo.hpp"
#include "instctl/federation/peer_signing.hpp"
#include "instctl/util/time.hpp"

namespace instctl::federation {

namespace {
Json time_or_null(const std::optional<UnixTime>& t) {
  return t ? Json(util::format_time(*t)) : Json(nullptr);
}

constexpr const char* k_select =
    "SELECT domain, software, software_version, first_seen_at, last_contact_at, last_error, "
    "last_error_at, signature_forced, signature_learned, rfc9421_signed_at, rfc9421_refused_at "
    "FROM peers";

std::optional<crypto::SignatureStandard> standard(const std::optional<std::string>& s) {
  return s ? crypto::parse_signature_standard(*s) : std::nullopt;
}

Peer read_peer(const db::Statement& st) {
  Peer p;
  std::optional<std::string> software, version, error, forced, learned;
  st.read_all(p.domain, software, version, p.first_seen_at, p.last_contact_at, error,
              p.last_error_at, forced, learned, p.rfc9421_signed_at, p.rfc9421_refused_at);
  p.software = software.value_or("");
  p.software_version = version.value_or("");
  p.last_error = error.value_or("");
  p.signature_forced = standard(forced);
  p.signature_learned = standard(learned);
  return p;
}

Json standard_or_null(const std::optional<crypto::SignatureStandard>& s) {
  return s ? Json(crypto::to_string(*s)) : Json(nullptr);
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

void PeerStore::record_rfc9421_signed(std::string_view domain, UnixTime now) {
  ensure(domain, now);
  m_db.prepare("UPDATE peers SET rfc9421_signed_at = ? WHERE domain = ?")
      ->bind_all(now, domain)
      .run();
}

void PeerStore::record_signature_learned(std::string_view domain, crypto::SignatureStandard s,
                                         UnixTime now) {
  ensure(domain, now);
  m_db.prepare("UPDATE peers SET signature_learned = ? WHERE domain = ?")
      ->bind_all(crypto::to_string(s), domain)
      .run();
}

void PeerStore::record_rfc9421_refused(std::string_view domain, UnixTime now) {
  ensure(domain, now);
  m_db.prepare("UPDATE peers SET rfc9421_refused_at = ? WHERE domain = ?")
      ->bind_all(now, domain)
      .run();
}

bool PeerStore::set_signature_forced(std::string_view domain,
                                     std::optional<crypto::SignatureStandard> s) {
  std::optional<std::string> value;
  if (s) value = crypto::to_string(*s);
  m_db.prepare("UPDATE peers SET signature_forced = ? WHERE domain = ?")
      ->bind_all(value, domain)
      .run();
  return m_db.changes() > 0;
}

std::vector<Peer> PeerStore::list() {
  auto st =
      m_db.prepare(std::string(k_select) + " ORDER BY " + db::byte_order(m_db.dialect(), "domain"));
  std::vector<Peer> out;
  while (st->step()) out.push_back(read_peer(*st));
  return out;
}

std::optional<Peer> PeerStore::get(std::string_view domain) {
  return db::remembered(m_db, "peer", domain, [&]() -> std::optional<Peer> {
    auto st = m_db.prepare(std::string(k_select) + " WHERE domain = ?");
    st->bind_all(domain);
    if (!st->step()) return std::nullopt;
    return read_peer(*st);
  });
}

std::int64_t PeerStore::count() {
  auto st = m_db.prepare("SELECT count(*) FROM peers");
  st->step();
  return st->get_int(0);
}

Json to_json(const Peer& p, const std::string& block_state) {
  return Json{
      {"domain", p.domain},
      {"software", p.software},
      {"software_version", p.software_version},
      {"first_seen_at", util::format_time(p.first_seen_at)},
      {"last_contact_at", time_or_null(p.last_contact_at)},
      {"last_error", p.last_error},
      {"last_error_at", time_or_null(p.last_error_at)},
      {"block", block_state},
      {"signature", crypto::to_string(plan_signature(p).first)},
      {"signature_choice", p.signature_forced ? crypto::to_string(*p.signature_forced) : "auto"},
      {"signature_learned", standard_or_null(p.signature_learned)},
      {"rfc9421_signed_at", time_or_null(p.rfc9421_signed_at)},
      {"rfc9421_refused_at", time_or_null(p.rfc9421_refused_at)}};
}

}  // namespace instctl::federation
