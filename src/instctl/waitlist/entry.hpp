#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::waitlist {

enum class EntryStatus { waiting, invited, joined, rejected };
const char* to_string(EntryStatus s);
// Throws Error(usage) naming the accepted values.
EntryStatus parse_status(std::string_view s);

struct Entry {
  std::int64_t id = 0;
  std::string email;
  std::optional<std::string> username;
  std::string reason;
  std::string source;
  std::int64_t priority = 0;
  EntryStatus status = EntryStatus::waiting;
  std::optional<std::int64_t> invite_id;
  std::optional<std::string> invite_code;
  std::optional<std::string> reject_reason;
  std::optional<UnixTime> invited_at;
  std::optional<UnixTime> joined_at;
  std::optional<UnixTime> rejected_at;
  UnixTime created_at = 0;
  std::optional<std::int64_t> position;  // 1 = next in line; waiting entries only

  std::string audit_target() const { return "waitlist:" + email; }
};

// SPEC.md's fields (id, email, username, status, position, invite_code, created_at) plus
// priority, reason, source and the times of each step.
Json to_json(const Entry& e);

}  // namespace instctl::waitlist
