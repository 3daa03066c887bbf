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
// The same with the details already written as one JSON object (util::JsonLine::object()): for
// the many entries of one run (a subscription refresh's blocks), without building a Json each.
void record_text(Env& env, std::string_view action, std::string_view target,
                 std::string_view details);
// An entry to write, its details already one JSON object (util::JsonLine::object()).
struct TextEntry {
  std::string action, target, details;
};

// Entries of one run, written together by flush() (multi-row INSERTs, in the order added)
// inside the caller's transaction: the thousands of a subscription refresh's blocks cost a
// statement per batch, not one each. `details` as for record_text.
class Batch {
 public:
  explicit Batch(Env& env) : m_env(env) {}
  void add(std::string_view action, std::string_view target, std::string details);
  void flush();

 private:
  Env& m_env;
  std::vector<TextEntry> m_rows;
};

// Newest first.
std::vector<Entry> list(db::Connection& db, const Filter& filter);
Json to_json(const Entry& e);

}  // namespace instctl::audit
