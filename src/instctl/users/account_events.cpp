#include "instctl/users/account_events.hpp"

namespace instctl::users {

void AccountEvents::joined_with_invite(Env&, const User&, std::int64_t) {}
void AccountEvents::deleted(Env&, const User&, Json&) {}
std::size_t AccountEvents::changed(Env&, const User&, std::optional<std::int64_t>) { return 0; }
std::int64_t AccountEvents::follows_unlocked(Env&, const User&) { return 0; }

std::vector<AccountEvents*> account_events(const Env& env) {
  return wired<AccountEvents>(env.seams);
}

Invitations& invitations(const Env& env) { return wired_one<Invitations>(env.seams); }

}  // namespace instctl::users
