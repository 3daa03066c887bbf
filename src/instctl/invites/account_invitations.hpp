#pragma once

#include "instctl/users/account_events.hpp"

namespace instctl::invites {

// The invites accounts are made with (users::Invitations), through InviteService.
class AccountInvitations final : public users::Invitations {
 public:
  std::optional<std::string> bound_email(Env& env, std::string_view code) override;
  users::RedeemedInvite redeem(Env& env, std::string_view code, std::string_view email) override;
  users::IssuedInvite issue_for(Env& env, const std::string& email) override;
};

// A redeemed invite's autofollows, once the account exists (users::AccountEvents).
class InviteAutofollows final : public users::AccountEvents {
 public:
  void joined_with_invite(Env& env, const users::User& u, std::int64_t invite_id) override;
};

}  // namespace instctl::invites
