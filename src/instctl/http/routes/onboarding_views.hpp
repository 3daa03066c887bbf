#pragma once

// The onboarding pages' markup. Views take plain values and return documents; every value is
// escaped on its way in (html_page.hpp).

#include <optional>
#include <string>
#include <vector>

#include "instctl/http/html_page.hpp"
#include "instctl/http/routes/site_frame.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/onboarding/onboarding_service.hpp"

namespace instctl::http::views {

// The sign-up form as filled in (never the password) and its problems.
struct SignUpValues {
  std::string invite_code;
  std::string username;
  std::string email;
  bool agreed = false;
  std::optional<std::string> locked_email;     // an invite bound to one address
  invites::HandleOffer handle;  // the username the invite offers (fixed or suggested)
  std::vector<onboarding::FieldError> errors;
};

struct WaitlistValues {
  std::string email;
  std::string username;
  std::string reason;
  std::vector<onboarding::FieldError> errors;
};

// /invite/CODE: the instance, the inviter's note, the rules, the form.
std::string invite_page(const Site& site, const invites::Invite& invite, const SignUpValues& v,
                        const std::string& csrf_token);
// /auth/sign_up without an invite (open and approval modes).
std::string sign_up_page(const Site& site, const SignUpValues& v, const std::string& csrf_token);
// Why an invite cannot be used (or why signing up without one is not possible).
std::string invite_problem_page(const Site& site, onboarding::InviteState state);
int invite_problem_status(onboarding::InviteState state);
std::string invite_only_page(const Site& site);
std::string welcome_page(const Site& site, const onboarding::SignUpResult& r,
                         const std::string& contact_email);

std::string waitlist_page(const Site& site, const WaitlistValues& v, const std::string& csrf_token);
std::string waitlist_result_page(const Site& site, const onboarding::WaitlistResult& r);
std::string waitlist_closed_page(const Site& site);

// A refused request (403, 413, 415, 429) as a page.
std::string refusal_page(const Site& site, const Refusal& r);

// Pieces for other onboarding pages (partner sign-up): a page with the site's header, a card,
// the rules, and the error about one field ("" when none).
std::string site_page(const Site& site, std::string_view heading, std::string_view inner);
std::string card_of(std::string_view inner);
std::string rules_of(const Site& site);
std::string field_error(const std::vector<onboarding::FieldError>& errors, std::string_view field);

// For the route handlers: a refusal as a response (with Retry-After on a 429).
Response refused(RouteContext& ctx, const Refusal& r);

}  // namespace instctl::http::views
