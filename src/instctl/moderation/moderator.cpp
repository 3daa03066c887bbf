#include "instctl/moderation/moderator.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/validation.hpp"

namespace instctl::moderation {

namespace {

void check_staff(const users::User& u) {
  if (!u.is_staff()) {
    throw Error(
        ErrorKind::conflict,
        fmt::format("{} is not a moderator: only moderators and admins handle reports and "
                    "take actions ('instctl users modify {} --role moderator' makes them one)",
                    u.acct(), u.acct()));
  }
  if (u.status != users::Status::active && u.status != users::Status::silenced) {
    throw Error(ErrorKind::conflict, fmt::format("the moderator {} is {} and cannot act", u.acct(),
                                                 users::to_string(u.status)));
  }
}

// $INSTCTL_ACTOR names a local user when it is a plain username: alice or @alice.
std::optional<users::User> user_named_by_actor(const Env& env) {
  std::string_view name = env.actor;
  if (!name.empty() && name.front() == '@') name.remove_prefix(1);
  if (name.empty() || users::username_problem(name)) return std::nullopt;
  return users::AccountStore(env.db).local_by_username(name);
}

}  // namespace

void record_audit(Env& env, const Moderator& by, std::string_view action, std::string_view target,
                  const Json& details) {
  Env as_moderator{env.db, env.clock, by.name, env.seams};
  audit::record(as_moderator, action, target, details);
}

users::User require_staff(users::UserService& users, std::string_view ref) {
  users::User u = users.resolve(ref);
  check_staff(u);
  return u;
}

Moderator identify(users::UserService& users, const Env& env,
                   const std::optional<std::string>& as) {
  std::optional<users::User> u;
  if (as)
    u = users.resolve(*as);
  else
    u = user_named_by_actor(env);
  if (!u) return Moderator{std::nullopt, env.actor};
  check_staff(*u);
  return Moderator{u->id, u->username};
}

}  // namespace instctl::moderation
