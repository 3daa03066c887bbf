#pragma once

#include <optional>

#include "instctl/db/connection.hpp"

namespace instctl::users {

// registrations.mode: who may create an account.
enum class RegistrationMode { open, approval, invite, closed };
const char* to_string(RegistrationMode m);
RegistrationMode registration_mode(db::Connection& db);

// Who is creating the account: an admin at the command line, a person on the sign-up page,
// or a partner member the OpenID Connect provider vouched for (auth.oidc.bypass_waitlist).
enum class Channel { admin, sign_up, partner };
enum class WithInvite { no, yes };

struct RegistrationDecision {
  bool pending = false;  // the account waits in the approval queue
};

// The one rule for every way in (CLI and server). An invite lets a person in under invite and
// approval (skipping the approval queue) and open, never under closed. Without an invite the
// sign-up page follows the mode (open: active, approval: pending, invite and closed: refused);
// admins at the command line are not bound by it. Partner members are treated as the
// sign-up page, except that invite mode lets them in without an invite. Throws
// Error(policy) when refused.
RegistrationDecision decide_registration(RegistrationMode mode, Channel channel, WithInvite invite);
// Why decide_registration would refuse, without throwing: for a page that words the refusal
// itself (a partner sign-in); nothing when the account may be made.
enum class RegistrationRefused { closed, invite_only };
std::optional<RegistrationRefused> refused_registration(RegistrationMode mode, Channel channel,
                                                        WithInvite invite);

}  // namespace instctl::users
