#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"

namespace instctl::instance {

struct Rule {
  std::int64_t id = 0;
  std::string text;
  std::string hint;
  UnixTime created_at = 0;
};

std::vector<Rule> list_rules(db::Connection& db);
// Throws not_found for unknown or removed rules.
Rule get_rule(db::Connection& db, std::int64_t id);
Rule add_rule(Env& env, std::string_view text, std::string_view hint);
// Removed rules stay in the database so old reports still name them.
void remove_rule(Env& env, std::int64_t id);
Json to_json(const Rule& r);

}  // namespace instctl::instance
