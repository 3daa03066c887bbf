#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/instance/rules.hpp"

namespace instctl::instance {

// The SQL of the instance's rules (table rules). Removed rules keep their row.
class RuleStore {
 public:
  explicit RuleStore(db::Connection& db) : m_db(db) {}

  // The rules not removed, in order.
  std::vector<Rule> list();
  std::optional<Rule> find(std::int64_t id);
  std::int64_t insert(const std::string& text, const std::string& hint, UnixTime now);
  void mark_removed(std::int64_t id, UnixTime now);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::instance
