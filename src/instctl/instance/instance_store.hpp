#pragma once

#include <optional>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::instance {

// The instance's one row (table instance, id 1), as stored.
struct InstanceRow {
  std::string domain;
  std::string account_domain;
  UnixTime created_at = 0;
};

// The SQL of the instance row.
class InstanceStore {
 public:
  explicit InstanceStore(db::Connection& db) : m_db(db) {}

  // False also when the table does not exist yet (a database before its migrations).
  bool exists();
  std::optional<InstanceRow> find();
  void insert(const InstanceRow& row, const std::string& public_key_pem,
              const std::string& private_key_pem);
  // The instance actor's key pair (public, private); none when the row has no keys.
  std::optional<std::pair<std::string, std::string>> actor_keys();

 private:
  db::Connection& m_db;
};

}  // namespace instctl::instance
