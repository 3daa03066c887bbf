#include "instctl/invites/account_invitations.hpp"

#include "instctl/invites/invite_service.hpp"

namespace instctl::invites {

std::optional<std::string> AccountInvitations::bound_email(Env& env, std::string_view code) {
  return InviteService(env).find(code).email;
}

users::RedeemedInvite AccountInvitations::redeem(Env& env, std::string_view code,
                                                 std::string_view email) {
  const auto inv = InviteService(env).redeem(code, email);
  return {inv.id, inv.code};
}

users::IssuedInvite AccountInvitations::issue_for(Env& env, const std::string& email) {
  InviteService invites(env);
  const auto inv = invites.create_for_email(email, std::nullopt, "users import", std::nullopt);
  return {inv.id, invites.url(inv)};
}

void InviteAutofollows::joined_with_invite(Env& env, const users::User& u, std::int64_t invite_id) {
  InviteService(env).complete_redemption(invite_id, u.id);
}

}  // namespace instctl::invites
