#include "instctl/http/seams.hpp"

#include "instctl/auth/identity_cleanup.hpp"
#include "instctl/federation/account_announcements.hpp"
#include "instctl/invites/account_invitations.hpp"
#include "instctl/invites/invite_mail.hpp"
#include "instctl/overview/staff_digest.hpp"
#include "instctl/waitlist/joined_marker.hpp"

namespace instctl::http {

namespace {
Seams make() {
  Seams s;
  // In this order: a deleted account's identities go before its followers are told.
  s.add<users::AccountEvents>(std::make_shared<auth::IdentityCleanup>());
  s.add<users::AccountEvents>(std::make_shared<federation::AccountAnnouncer>());
  s.add<users::AccountEvents>(std::make_shared<invites::InviteAutofollows>());
  s.add<users::AccountEvents>(std::make_shared<waitlist::JoinedMarker>());
  s.add<users::Invitations>(std::make_shared<invites::AccountInvitations>());
  s.add<mail::InviteMailWriter>(std::make_shared<invites::InviteMailWriter>());
  s.add<mail::DueMails>(std::make_shared<overview::DueDigests>());
  return s;
}
}  // namespace

const Seams& seams() {
  static const Seams s = make();
  return s;
}

}  // namespace instctl::http
