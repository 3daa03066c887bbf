#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::users {

struct TakenBy {
  std::int64_t id = 0;
  std::string username;
  bool deleted = false;
};

// The statements of a bulk import, prepared once and reused for every row. SQL only; the
// caller holds the transaction.
class BulkUserStore {
 public:
  explicit BulkUserStore(db::Connection& db);
  ~BulkUserStore();
  BulkUserStore(const BulkUserStore&) = delete;
  BulkUserStore& operator=(const BulkUserStore&) = delete;

  // Keys (usernames, email addresses) that rows of this import named, with the first line
  // that named each. They live in a temporary table (on disk, private to this connection),
  // so a file of any size is checked for duplicates in bounded memory.
  // Records `key` unless it is recorded already.
  void claim_key(const std::string& key, std::size_t line);
  // The line recorded for `key`; 0 when none.
  std::size_t claimed_by(const std::string& key);

  // Whether any of these keys is recorded.
  bool any_claimed(const std::vector<std::string>& keys);

  // The new user's id; nothing when the username or email address is taken.
  std::optional<std::int64_t> insert_unless_taken(const NewLocalUser& u, UnixTime now);
  // Inserts every user with one statement, or none when any username or email address is
  // taken or named twice among them: their ids in the users' order, or nothing.
  std::optional<std::vector<std::int64_t>> insert_all_or_none(
      const std::vector<const NewLocalUser*>& users, UnixTime now);
  // The local account holding this username (case-insensitive), deleted ones included.
  std::optional<TakenBy> by_username(std::string_view username);
  // The local account holding this email address (case-insensitive).
  std::optional<TakenBy> by_email(std::string_view email);
  void update_profile(std::int64_t id, const std::string& email,
                      const std::optional<std::string>& display_name,
                      const std::optional<Role>& role, const std::optional<std::string>& note,
                      UnixTime now);

 private:
  std::optional<TakenBy> taken(db::Statement& st, const std::string& key);

  db::Connection& m_db;
  const bool m_returns_id;
  std::unique_ptr<db::Statement> m_claim;
  std::unique_ptr<db::Statement> m_claimed_by;
  std::size_t m_claims = 0;

  std::unique_ptr<db::Statement> m_insert;
  std::unique_ptr<db::Statement> m_insert_rows;  // for m_insert_rows_count rows
  std::size_t m_insert_rows_count = 0;
  std::unique_ptr<db::Statement> m_by_username;
  std::unique_ptr<db::Statement> m_by_email;
  std::unique_ptr<db::Statement> m_update;
};

}  // namespace instctl::users
