#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
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
  std::vector<Peer> list();
  std::optional<Peer> get(std::string_view domain);
  std::int64_t count();

 private:
  void ensure(std::string_view domain, UnixTime now);
  db::Connection& m_db;
};

// domain, software, software_version, first_seen_at, last_contact_at, last_error, block
// (the policy state: suspend, silence, noop, "not allowed" or "").
Json to_json(const Peer& p, const std::string& block_state);

}  // namespace instctl::federation
