#include "instctl/users/registration.hpp"

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"

namespace instctl::users {

namespace {
constexpr const char* k_closed = "Registrations are closed at the moment.";
}  // namespace

const char* to_string(RegistrationMode m) {
  switch (m) {
    case RegistrationMode::open:
      return "open";
    case RegistrationMode::approval:
      return "approval";
    case RegistrationMode::invite:
      return "invite";
    case RegistrationMode::closed:
      return "closed";
  }
  return "closed";
}

RegistrationMode registration_mode(db::Connection& db) {
  const auto v = instance::Settings(db).get("registrations.mode");
  for (auto m : {RegistrationMode::open, RegistrationMode::approval, RegistrationMode::invite}) {
    if (v == to_string(m)) return m;
  }
  return RegistrationMode::closed;  // the safe reading of anything unexpected
}

std::optional<RegistrationRefused> refused_registration(RegistrationMode mode, Channel channel,
                                                        WithInvite invite) {
  if (mode == RegistrationMode::closed) {
    if (invite == WithInvite::yes || channel != Channel::admin) return RegistrationRefused::closed;
    return std::nullopt;
  }
  if (invite == WithInvite::yes || channel == Channel::admin) return std::nullopt;
  if (mode == RegistrationMode::invite && channel != Channel::partner) {
    return RegistrationRefused::invite_only;
  }
  return std::nullopt;
}

RegistrationDecision decide_registration(RegistrationMode mode, Channel channel,
                                         WithInvite invite) {
  const auto refused = refused_registration(mode, channel, invite);
  if (refused == RegistrationRefused::invite_only) {
    throw Error(ErrorKind::policy, "this instance is invite-only: an invite is needed to sign up")
        .with_public("You need an invite to sign up here.");
  }
  if (refused && invite == WithInvite::yes) {
    throw Error(ErrorKind::policy,
                "registrations are closed, so invites cannot be redeemed; an admin can open "
                "them with 'instctl config set registrations.mode invite'")
        .with_public(k_closed);
  }
  if (refused) throw Error(ErrorKind::policy, "registrations are closed").with_public(k_closed);
  // Admitted: only the sign-up page and partners without an invite wait for approval.
  const bool pending =
      mode == RegistrationMode::approval && invite == WithInvite::no && channel != Channel::admin;
  return {pending};
}

}  // namespace instctl::users
