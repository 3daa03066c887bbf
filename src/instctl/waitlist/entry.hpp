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
  // When the address was confirmed (the mailed link, or at once for entries an admin adds);
  // unconfirmed entries are not in line: `process` skips them and they have no position.
  std::optional<UnixTime> confirmed_at;
  std::optional<std::int64_t> position;  // 1 = next in line; confirmed waiting entries only

  std::string audit_target() const { return "waitlist:" + email; }
};

// SPEC.md's fields (id, email, username, status, position, invite_code, created_at) plus
// priority, reason, source, the times of each step and `confirmed` (with `confirmed_at`).
Json to_json(const Entry& e);

}  // namespace instctl::waitlist
