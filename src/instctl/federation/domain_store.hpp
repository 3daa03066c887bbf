#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/federation/domain_rule.hpp"

namespace instctl::federation {

// SQL for domain blocks and allows; no rules.
class DomainStore {
 public:
  explicit DomainStore(db::Connection& db) : m_db(db) {}

  std::optional<DomainRule> block(std::string_view domain);
  // The block on the domain or its closest parent.
  std::optional<DomainRule> most_specific_block(std::string_view domain);
  std::vector<DomainRule> blocks();  // in the order they were made
  void insert_block(const DomainRule& r, UnixTime now);
  void insert_blocks(const std::vector<DomainRule>& rules, UnixTime now);  // multi-row INSERTs
  void update_block(const DomainRule& r, UnixTime now);
  bool delete_block(std::string_view domain);
  std::int64_t count_blocks();

  bool insert_allow(std::string_view domain, UnixTime now);  // false when present
  bool delete_allow(std::string_view domain);
  std::vector<std::string> allows();      // in the order they were made
  bool allowed(std::string_view domain);  // the domain or a parent is allowed

 private:
  std::vector<DomainRule> query(const std::string& where, const std::vector<std::string>& args);
  db::Connection& m_db;
};

}  // namespace instctl::federation
