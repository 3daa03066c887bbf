#include "instctl/onboarding/onboarding_service.hpp"

#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/suggestions/suggestion_service.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/waitlist/waitlist_service.hpp"

namespace instctl::onboarding {

namespace {

InviteState state_of(invites::InviteStatus s) {
  switch (s) {
    case invites::InviteStatus::active:
      return InviteState::usable;
    case invites::InviteStatus::expired:
      return InviteState::expired;
    case invites::InviteStatus::exhausted:
      return InviteState::exhausted;
    case invites::InviteStatus::revoked:
      return InviteState::revoked;
  }
  return InviteState::invalid;
}

}  // namespace

const char* to_string(InviteState s) {
  switch (s) {
    case InviteState::usable:
      return "usable";
    case InviteState::invalid:
      return "invalid";
    case InviteState::expired:
      return "expired";
    case InviteState::exhausted:
      return "exhausted";
    case InviteState::revoked:
      return "revoked";
    case InviteState::closed:
      return "closed";
  }
  return "invalid";
}

SiteTexts OnboardingService::site() {
  const instance::Settings settings(m_env.db);
  SiteTexts s;
  s.description = settings.get("instance.description");
  s.rules = instance::list_rules(m_env.db);
  s.mode = users::registration_mode(m_env.db);
  s.waitlist_enabled = settings.get_bool("waitlist.enabled");
  s.require_reason = settings.get_bool("registrations.require_reason");
  return s;
}

InviteLookup OnboardingService::invite(std::string_view code) {
  InviteLookup out;
  try {
    auto inv = invites::InviteService(m_env).find(code);
    out.state = state_of(inv.status(m_env.clock.now()));
    if (out.state == InviteState::usable &&
        users::registration_mode(m_env.db) == users::RegistrationMode::closed) {
      out.state = InviteState::closed;
    }
    if (out.state == InviteState::usable) out.handle = invites::handle_offer(m_env.db, inv);
    if (out.state == InviteState::usable) out.invite = std::move(inv);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    out.state = InviteState::invalid;
  }
  return out;
}

SignUpResult OnboardingService::sign_up(const SignUpForm& form) {
  SignUpResult out;
  std::optional<invites::Invite> invite;
  if (!form.invite_code.empty()) {
    auto lookup = this->invite(form.invite_code);
    if (lookup.state != InviteState::usable) {
      out.invite_state = lookup.state;
      return out;
    }
    invite = std::move(lookup.invite);
  }
  users::CreateRequest req;
  req.username = form.username;
  req.email = form.email;
  req.password = form.password;
  req.channel = users::Channel::sign_up;
  if (invite) req.invite_code = invite->code;
  // The same checks `users create` makes, all at once.
  out.errors = users::UserService::validate(req);
  if (!form.agreed)
    out.errors.push_back({"agree", "Please read the rules and agree to them to join."});
  if (!out.errors.empty()) return out;

  try {
    const auto created = users::UserService(m_env).create(req);
    out.user = created.user;
  } catch (const Error& e) {
    if (!e.has_public_message()) throw;  // a failure (a busy database ...), not a refusal
    if (invite && e.problems().empty()) {
      // Used up (or revoked, or registrations closed) between the page and the submission:
      // the page explains the invite's state.
      out.invite_state = this->invite(invite->code).state;
      if (out.invite_state != InviteState::usable) return out;
      out.invite_state.reset();
    }
    out.errors = e.public_problems();
    return out;
  }
  welcome(out, invite);
  return out;
}

void OnboardingService::welcome(SignUpResult& out, const std::optional<invites::Invite>& invite) {
  out.handle = instance::handle(instance::load(m_env.db), out.user->username);
  out.pending = out.user->status == users::Status::pending;
  if (invite) out.autofollows = invite->autofollows;
  out.suggestions = suggestions::SuggestionService(m_env).for_newcomer(out.user->id);
}

WaitlistResult OnboardingService::join_waitlist(const WaitlistForm& form) {
  WaitlistResult out;
  if (!instance::Settings(m_env.db).get_bool("waitlist.enabled")) {
    out.outcome = WaitlistOutcome::closed;
    return out;
  }
  waitlist::AddRequest req;
  req.email = form.email;
  if (!form.username.empty()) req.username = form.username;
  req.reason = form.reason;
  req.source = form.source;
  req.channel = users::Channel::sign_up;
  out.errors = waitlist::WaitlistService::validate(req);
  if (!out.errors.empty()) return out;
  try {
    const auto joined = waitlist::WaitlistService(m_env).join(req);
    switch (joined.state) {
      case waitlist::JoinState::joined:
        out.outcome = WaitlistOutcome::joined;
        break;
      case waitlist::JoinState::listed:
        // Only this address's own place is told, never anything about other entries.
        out.outcome = WaitlistOutcome::already_listed;
        break;
      case waitlist::JoinState::has_account:
        out.outcome = WaitlistOutcome::has_account;
        return out;
    }
    out.position = joined.entry->position;
    out.confirmed = joined.entry->status != waitlist::EntryStatus::waiting ||
                    joined.entry->confirmed_at.has_value();
  } catch (const Error& e) {
    if (!e.has_public_message()) throw;  // a failure (a busy database ...), not a refusal
    out.errors = e.public_problems();
  }
  return out;
}

}  // namespace instctl::onboarding
