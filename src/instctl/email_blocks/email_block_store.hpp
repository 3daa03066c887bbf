#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::email_blocks {

struct EmailBlock {
  std::string domain;
  UnixTime created_at = 0;
};

// SQL only; no rules.
class EmailBlockStore {
 public:
  explicit EmailBlockStore(db::Connection& db) : m_db(db) {}
  bool exists(const std::string& domain);
  void insert(const std::string& domain, UnixTime now);
  bool remove(const std::string& domain);
  std::vector<EmailBlock> list();
  std::int64_t count();
  // The first blocked domain among `domains` (a domain and its parents), if any.
  std::optional<std::string> first_blocked(const std::vector<std::string>& domains);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::email_blocks
