#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"

namespace instctl::audit {

struct Entry {
  std::int64_t id = 0;
  std::string actor;
  std::string action;  // group.verb, e.g. users.suspend
  std::string target;  // kind:name, e.g. user:alice, invite:K7PQ2XR9TM
  Json details = Json::object();
  UnixTime created_at = 0;
};

struct Filter {
  std::optional<std::string> actor;
  std::optional<std::string> action;  // exact, or a prefix ending in '.' (users.)
  std::optional<std::string> target;
  std::optional<UnixTime> since;
  std::int64_t limit = 0;  // 0: all
};

// Appends one entry, inside the caller's transaction so the change and its record land together.
void record(Env& env, std::string_view action, std::string_view target,
            const Json& details = Json::object());
// Newest first.
std::vector<Entry> list(db::Connection& db, const Filter& filter);
Json to_json(const Entry& e);

}  // namespace instctl::audit
