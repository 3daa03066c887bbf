#include "instctl/users/user.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/time.hpp"

namespace instctl::users {

const char* to_string(Role r) {
  switch (r) {
    case Role::user:
      return "user";
    case Role::moderator:
      return "moderator";
    case Role::admin:
      return "admin";
  }
  return "user";
}

const char* to_string(Status s) {
  switch (s) {
    case Status::active:
      return "active";
    case Status::pending:
      return "pending";
    case Status::suspended:
      return "suspended";
    case Status::silenced:
      return "silenced";
    case Status::disabled:
      return "disabled";
    case Status::deleted:
      return "deleted";
  }
  return "active";
}

Role parse_role(std::string_view s) {
  for (Role r : {Role::user, Role::moderator, Role::admin}) {
    if (s == to_string(r)) return r;
  }
  throw Error(ErrorKind::usage, fmt::format("unknown role '{}': use user, moderator or admin", s));
}

Status parse_status(std::string_view s) {
  for (Status st : k_statuses) {
    if (s == to_string(st)) return st;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown status '{}': use active, pending, suspended, silenced, "
                          "disabled or deleted",
                          s));
}

Json to_json(const User& u) {
  Json j{{"id", u.id},
         {"username", u.acct()},
         {"email", u.email ? Json(*u.email) : Json(nullptr)},
         {"display_name", u.display_name},
         {"role", to_string(u.role)},
         {"status", to_string(u.status)},
         {"created_at", util::format_time(u.created_at)},
         {"invite_code", u.invite_code ? Json(*u.invite_code) : Json(nullptr)},
         {"note", u.note}};
  return j;
}

}  // namespace instctl::users
