#pragma once

// SQL for members' sessions on the instance's pages and for the sign-in lock-out
// (tables sessions and sign_in_failures). Tokens arrive here already hashed.

#include <cstdint>
#include <optional>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::auth {

struct FailureCount {
  std::int64_t failures = 0;
  UnixTime first_failed_at = 0;
  UnixTime locked_until = 0;
};

class SessionStore {
 public:
  explicit SessionStore(db::Connection& db) : m_db(db) {}

  void insert(std::string_view token_hash, std::int64_t account_id, UnixTime now,
              UnixTime expires_at);
  // The account of an unexpired session.
  std::optional<std::int64_t> account_of(std::string_view token_hash, UnixTime now);
  void remove(std::string_view token_hash);
  std::int64_t remove_all(std::int64_t account_id);
  // Forgets expired sessions and failure counts whose window and lock are over.
  void prune(UnixTime now, UnixTime failures_before);

  std::optional<FailureCount> failures(std::string_view login_key);
  void save_failures(std::string_view login_key, const FailureCount& f);
  void clear_failures(std::string_view login_key);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::auth
