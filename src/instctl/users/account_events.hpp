#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

// What other concepts do when a local account changes: federation tells the account's
// followers, auth drops its partner identities, invites and the waitlist finish a redemption.
// Declared here, implemented above users, registered by the composition root
// (core/seams.hpp). Each is called inside the change's transaction, in the order registered.
class AccountEvents {
 public:
  virtual ~AccountEvents() = default;
  // The account was made, or an account made ahead of time was claimed, with this invite.
  virtual void joined_with_invite(Env& env, const User& u, std::int64_t invite_id);
  // The account was deleted: adds what was done to the audit entry's `details`.
  virtual void deleted(Env& env, const User& u, Json& details);
  // What the account looks like changed (profile, keys; `retired_key_id`: the replaced key
  // that signs the news). Returns how many deliveries were queued.
  virtual std::size_t changed(Env& env, const User& u, std::optional<std::int64_t> retired_key_id);
  // The account stopped approving followers by hand: returns how many waiting follow
  // requests were accepted.
  virtual std::int64_t follows_unlocked(Env& env, const User& before);
};

// An invite redeemed by a new account (CreateRequest::invite_code).
struct RedeemedInvite {
  std::int64_t id = 0;
  std::string code;  // as stored (normalized)
};
// An invite made for an imported account (users import --invite).
struct IssuedInvite {
  std::int64_t id = 0;
  std::string url;
};

// The invites accounts are made with, as users needs them; implemented by invites.
class Invitations {
 public:
  virtual ~Invitations() = default;
  // The address the invite is bound to (none: anyone may redeem it); Error(not_found) when
  // there is no such invite.
  virtual std::optional<std::string> bound_email(Env& env, std::string_view code) = 0;
  // Takes one use of the invite for `email`; Error saying why when it cannot be redeemed.
  virtual RedeemedInvite redeem(Env& env, std::string_view code, std::string_view email) = 0;
  // A single-use invite bound to `email`, made by `users import`.
  virtual IssuedInvite issue_for(Env& env, const std::string& email) = 0;
};

// The registered implementations; Error(internal) when the Env has no seams wired.
std::vector<AccountEvents*> account_events(const Env& env);
Invitations& invitations(const Env& env);

}  // namespace instctl::users
