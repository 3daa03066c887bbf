#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::users {

enum class Role { user, moderator, admin };
enum class Status { active, pending, suspended, silenced, disabled, deleted };
// Every status, in the order they are listed.
inline constexpr Status k_statuses[] = {Status::active,   Status::pending,  Status::suspended,
                                        Status::silenced, Status::disabled, Status::deleted};

const char* to_string(Role r);
const char* to_string(Status s);
// Throw Error(usage) naming the accepted values.
Role parse_role(std::string_view s);
Status parse_status(std::string_view s);

// A local user or a remote account. Local accounts have an empty domain.
struct User {
  std::int64_t id = 0;
  std::string username;
  std::string domain;
  std::optional<std::string> email;
  std::string display_name;
  std::string note;  // profile bio
  Role role = Role::user;
  Status status = Status::active;
  std::optional<std::string> status_reason;
  std::optional<std::string> invite_code;
  bool manually_approves_followers = false;
  bool discoverable = true;
  bool has_keys = false;
  bool activation_pending = false;
  std::optional<std::string> actor_uri;  // remote accounts (local ones derive theirs)
  std::optional<std::string> inbox_url;
  std::optional<std::string> shared_inbox_url;
  UnixTime created_at = 0;
  UnixTime updated_at = 0;

  bool is_local() const { return domain.empty(); }
  bool is_staff() const { return role == Role::moderator || role == Role::admin; }
  // username for local accounts, username@domain for remote ones.
  std::string acct() const { return is_local() ? username : username + "@" + domain; }
  // The audit-log target naming this account.
  std::string audit_target() const { return "user:" + acct(); }
};

// The fields of SPEC.md (id, username, email, display_name, role, status, created_at,
// invite_code) plus note. The one place that names them, for every output format.
Json to_json(const User& u);

}  // namespace instctl::users
