#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/db/env.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/invites/handle_offer.hpp"
#include "instctl/invites/invite.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user.hpp"

namespace instctl::onboarding {

// What the onboarding pages show about the instance, read at each request.
struct SiteTexts {
  std::string description;
  std::vector<instance::Rule> rules;
  users::RegistrationMode mode = users::RegistrationMode::closed;
  bool waitlist_enabled = false;
  bool require_reason = false;
  // "Continue with <name>" (partner sign-up through auth.oidc.*), when it is configured: set
  // by the pages (http/routes/site_frame.cpp), which know the partner.
  std::optional<std::string> partner_name;
  bool partner_bypasses_invites = false;  // auth.oidc.bypass_waitlist
};

// What an invite link leads to. `invalid` covers every code that names no invite, whatever
// its shape, so a page never tells a mistyped code from a guessed one.
enum class InviteState { usable, invalid, expired, exhausted, revoked, closed };
const char* to_string(InviteState s);

struct InviteLookup {
  InviteState state = InviteState::invalid;
  std::optional<invites::Invite> invite;  // only when usable
  // What the invite offers as a username (the same words as its mail): an account an admin
  // made for the invite's address (users import --invite) waiting for its owner (signing up
  // with this username claims it), or the username a waitlist entry asked for.
  invites::HandleOffer handle;
};

// A problem with one input of a form ("username", "email", "password", "agree", "reason");
// field "" is about the form as a whole. A page shows its for_public() words.
using FieldError = Problem;

struct SignUpForm {
  std::string invite_code;  // "" without an invite (open and approval modes)
  std::string username;
  std::string email;
  std::string password;
  bool agreed = false;
};

struct SignUpResult {
  std::optional<users::User> user;       // set when the account was created
  std::string handle;                    // @username@account_domain
  bool pending = false;                  // waits for a moderator's approval
  bool signs_in_with_partner = false;    // made through a sign-in provider: no password here
  std::vector<std::string> autofollows;  // usernames of the accounts the new user now follows
  std::vector<users::User> suggestions;  // accounts suggested to newcomers (instctl suggestions)
  std::vector<FieldError> errors;
  // Set when the invite cannot be used (any more): the page explains that instead of the form.
  std::optional<InviteState> invite_state;
};

struct WaitlistForm {
  std::string email;
  std::string username;  // "" when none is wanted
  std::string reason;
  std::string source;  // web, api
};

enum class WaitlistOutcome { joined, already_listed, has_account, closed, refused };

struct WaitlistResult {
  WaitlistOutcome outcome = WaitlistOutcome::refused;
  // The person's place in the queue (1: next), while waiting with a confirmed address.
  std::optional<std::int64_t> position;
  // Whether the address is confirmed; until it is, a link to confirm it was mailed and the
  // entry has no place in the queue.
  bool confirmed = true;
  std::vector<FieldError> errors;  // when refused
};

// The sign-up and waitlist pages' rules: thin over the invite, user and waitlist services,
// which hold every rule they share with the command line; this adds only what a person at a
// form needs (every problem with the inputs at once, worded for them, never the admin hints).
class OnboardingService {
 public:
  explicit OnboardingService(Env& env) : m_env(env) {}

  SiteTexts site();
  InviteLookup invite(std::string_view code);
  SignUpResult sign_up(const SignUpForm& form);
  WaitlistResult join_waitlist(const WaitlistForm& form);
  // What the welcome page shows a member just created in `out.user` (by the form or by a
  // partner sign-up): the handle, whether approval is pending, the invite's autofollows and the
  // suggested accounts.
  void welcome(SignUpResult& out, const std::optional<invites::Invite>& invite);

 private:
  Env& m_env;
};

}  // namespace instctl::onboarding
