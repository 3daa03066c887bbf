#include "list.hpp"

#include "instctl/core/error.hpp"

namespace instctl::cli {

users::ListFilter to_filter(const ListOptions& o) {
  users::ListFilter f;
  if (o.role) f.role = users::parse_role(*o.role);
  if (o.status) f.status = users::parse_status(*o.status);
  f.search = o.search;
  if (o.limit < 0 || o.after < 0)
    throw Error(ErrorKind::usage, "--limit and --after must not be negative");
  f.limit = o.limit;
  f.after_id = o.after;
  return f;
}

void add_list_options(CLI::App* cmd, ListOptions& o) {
  cmd->add_option("--role", o.role, "Only users with this role: user, moderator, admin")
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  cmd->add_option(
         "--status", o.status,
         "Only users in this state: active, pending, suspended, silenced, disabled, deleted")
      ->check(CLI::IsMember({"active", "pending", "suspended", "silenced", "disabled", "deleted"}));
  cmd->add_option("--search", o.search, "Only users whose username, email or name contains TEXT");
  cmd->add_option("--limit", o.limit, "At most N users (0: all)");
  cmd->add_option("--after", o.after, "Only users with an id greater than ID (next page)");
}

}  // namespace instctl::cli
