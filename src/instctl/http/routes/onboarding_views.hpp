#pragma once

// The onboarding pages: invite, sign-up, welcome, waitlist, refusals. Views take plain values,
// turn them into template data and render the templates (sign_up, welcome, waitlist,
// waitlist_result, message), which escape every value.

#include <optional>
#include <string>
#include <vector>

#include "instctl/http/html_page.hpp"
#include "instctl/http/routes/form_data.hpp"
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
  std::optional<std::string> locked_email;  // an invite bound to one address
  invites::HandleOffer handle;              // the username the invite offers (fixed or suggested)
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

// A page that says one thing (template message): a heading and a sentence.
std::string message_page(const Site& site, std::string_view heading, std::string_view text);
// The same with a link to where to go next.
struct PageLink {
  std::string href;
  std::string label;
};
std::string message_page(const Site& site, std::string_view heading, std::string_view text,
                         const PageLink& link);

// For the route handlers: a refusal as a response (with Retry-After on a 429).
Response refused(RouteContext& ctx, const Refusal& r);
// A form's failure that is not the person's (a busy database: 503 and Retry-After) as a page
// with the error's public message; the error log gets the operator's.
Response try_again(RouteContext& ctx, const Error& e);
// A page's handler whose failures that pass (a busy database, in any step: the rate limit's
// write, the service) answer try_again; any other error goes on to the router.
template <Response (*Handler)(RouteContext&)>
Response or_try_again(RouteContext& ctx) {
  try {
    return Handler(ctx);
  } catch (const Error& e) {
    if (!e.retry_later()) throw;
    return try_again(ctx, e);
  }
}

}  // namespace instctl::http::views
