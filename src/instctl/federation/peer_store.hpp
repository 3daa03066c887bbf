#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/crypto/http_signature.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

// An instance this one has talked to.
struct Peer {
  std::string domain;
  std::string software;
  std::string software_version;
  UnixTime first_seen_at = 0;
  std::optional<UnixTime> last_contact_at;
  std::string last_error;
  std::optional<UnixTime> last_error_at;
  // HTTP signatures (federation/peer_signing.hpp decides with these).
  std::optional<crypto::SignatureStandard> signature_forced;   // set by an admin
  std::optional<crypto::SignatureStandard> signature_learned;  // what last worked
  std::optional<UnixTime> rfc9421_signed_at;   // when it last signed to us with RFC 9421
  std::optional<UnixTime> rfc9421_refused_at;  // when it last answered 400/401 to RFC 9421
};

// The peers table: every look-up, delivery and inbox exchange records the domain here.
class PeerStore {
 public:
  explicit PeerStore(db::Connection& db) : m_db(db) {}
  // A successful exchange; the software is kept when not given.
  void record_contact(std::string_view domain, UnixTime now,
                      const std::optional<std::string>& software = std::nullopt,
                      const std::optional<std::string>& version = std::nullopt);
  void record_error(std::string_view domain, std::string_view error, UnixTime now);
  // The peer signed a request to us with RFC 9421.
  void record_rfc9421_signed(std::string_view domain, UnixTime now);
  // The standard a signed request to the peer was accepted with.
  void record_signature_learned(std::string_view domain, crypto::SignatureStandard s, UnixTime now);
  // The peer answered 400 or 401 to a request signed with RFC 9421.
  void record_rfc9421_refused(std::string_view domain, UnixTime now);
  // An admin's choice (nullopt: auto). False when the domain is not a known peer.
  bool set_signature_forced(std::string_view domain, std::optional<crypto::SignatureStandard> s);
  std::vector<Peer> list();
  std::optional<Peer> get(std::string_view domain);
  std::int64_t count();

 private:
  void ensure(std::string_view domain, UnixTime now);
  db::Connection& m_db;
};

// domain, software, software_version, first_seen_at, last_contact_at, last_error, block
// (the policy state: suspend, silence, noop, "not allowed" or ""), signature (the standard the
// next signed request starts with: "cavage" or "rfc9421"), signature_choice ("auto",
// "cavage", "rfc9421"), signature_learned (or null), rfc9421_signed_at and rfc9421_refused_at
// (or null).
Json to_json(const Peer& p, const std::string& block_state);

}  // namespace instctl::federation
