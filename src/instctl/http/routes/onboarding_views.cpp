#include "instctl/http/routes/onboarding_views.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http::views {

namespace {

using onboarding::InviteState;

// "Continue with <provider>": partner sign-up (auth.oidc.*), beside the form.
mstch::node partner_button(const Site& s, std::string_view invite_code) {
  if (!s.texts.partner_name) return false;
  auto href = invite_code.empty() ? std::string("/auth/oidc/start")
                                  : "/auth/oidc/start?invite=" + util::percent_encode(invite_code);
  return mstch::map{{"href", std::move(href)}, {"name", *s.texts.partner_name}};
}

// Accounts an admin suggests (instctl suggestions): handle (a link to the profile page), name
// and the start of the bio on one line.
mstch::array suggestions_data(const Site& s, const std::vector<users::User>& people) {
  mstch::array out;
  for (const auto& u : people) {
    std::string bio = u.note;
    for (auto& c : bio) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out.emplace_back(
        mstch::map{{"handle", instance::handle(s.info, u.username)},
                   {"profile", activitypub::profile_url(s.info.public_url, u.username)},
                   {"display_name", u.display_name},
                   {"bio", util::utf8_shorten(bio, 160)}});
  }
  return out;
}

Form sign_up_form(const Site& s, const SignUpValues& v, const std::string& csrf) {
  Form f{.id = "sign-up-form",
         .title = "Create your account",
         .action = "/auth/sign_up",
         .button = "Create account"};
  f.hidden.emplace_back(k_csrf_field, csrf);
  if (!v.invite_code.empty()) f.hidden.emplace_back("invite", v.invite_code);
  f.privacy_link = s.has_privacy_policy;
  // The same sentence as the invite's mail (invites::handle_sentence).
  Input user{.name = "username",
             .label = "Username",
             .value = v.username,
             .hint = "Letters, digits and underscores, up to 30. " +
                     invites::handle_sentence(s.info, v.handle),
             .autocomplete = "username",
             .max_length = 30};
  if (v.handle.choice == invites::HandleChoice::fixed) {
    user.value = v.handle.username;
    user.locked = true;
    user.hint = invites::handle_sentence(s.info, v.handle);
  } else if (v.handle.choice == invites::HandleChoice::suggested && user.value.empty()) {
    user.value = v.handle.username;
  }
  f.fields.push_back(std::move(user));
  f.fields.push_back(Input{.name = "email",
                           .label = "Email address",
                           .type = "email",
                           .value = v.locked_email ? *v.locked_email : v.email,
                           .hint = v.locked_email ? "This invite is for this address." : "",
                           .autocomplete = "email",
                           .locked = v.locked_email.has_value(),
                           .max_length = 254});
  f.fields.push_back(Input{.name = "password",
                           .label = "Password",
                           .type = "password",
                           .hint = "At least 8 characters.",
                           .autocomplete = "new-password",
                           .max_length = 1024});
  f.agree = Agreement{!s.texts.rules.empty(), title_of(s), v.agreed};
  f.errors = v.errors;
  return f;
}

std::string sign_up_document(const Site& s, std::string_view title, TemplateData data) {
  add_rules(s, data);
  data.emplace("approval", false);
  data.emplace("invite", false);
  return render_page("sign_up", s, title, std::move(data));
}

std::string message(const Site& s, std::string_view heading, std::string_view text,
                    bool waitlist_link = false, mstch::node partner = false,
                    mstch::node link = false) {
  return render_page("message", s, heading,
                     {{"heading", std::string(heading)},
                      {"text", std::string(text)},
                      {"waitlist_link", waitlist_link && s.texts.waitlist_enabled},
                      {"partner", std::move(partner)},
                      {"link", std::move(link)}});
}

}  // namespace

std::string invite_page(const Site& site, const invites::Invite& invite, const SignUpValues& v,
                        const std::string& csrf_token) {
  // The invite's message (invites create --message); its note is for admins only.
  const bool from_waitlist = invite.waitlist_id.has_value();
  mstch::map about{{"from_waitlist", from_waitlist},
                   {"message", from_waitlist ? std::string() : invite.message},
                   {"autofollows", invite.autofollows.empty()
                                       ? std::string()
                                       : instance::handle_list(site.info, invite.autofollows)}};
  return sign_up_document(site, "You're invited",
                          {{"invite", std::move(about)},
                           {"partner", partner_button(site, invite.code)},
                           {"form", form_data(sign_up_form(site, v, csrf_token))}});
}

std::string sign_up_page(const Site& site, const SignUpValues& v, const std::string& csrf_token) {
  return sign_up_document(site, "Sign up",
                          {{"approval", site.texts.mode == users::RegistrationMode::approval},
                           {"partner", partner_button(site, "")},
                           {"form", form_data(sign_up_form(site, v, csrf_token))}});
}

int invite_problem_status(InviteState state) {
  switch (state) {
    case InviteState::invalid:
      return 404;
    case InviteState::closed:
      return 403;
    default:
      return 410;
  }
}

std::string invite_problem_page(const Site& site, InviteState state) {
  switch (state) {
    case InviteState::expired:
      return message(site, "This invite has expired",
                     "Invites are valid for a limited time. Ask the person who invited you for a "
                     "new one.",
                     true);
    case InviteState::exhausted:
      return message(site, "This invite has been used up",
                     "It has already been used as many times as it allows. Ask the person who "
                     "invited you for a new one.",
                     true);
    case InviteState::revoked:
      return message(site, "This invite has been withdrawn",
                     "The instance's admins have cancelled it. Ask the person who invited you for "
                     "a new one.",
                     true);
    case InviteState::closed:
      return message(site, "Registrations are closed",
                     "This instance is not taking new members at the moment, even with an invite.",
                     true);
    default:
      return message(site, "This invite link is not valid",
                     "Check that you copied the whole link. If it still does not work, ask the "
                     "person who invited you for a new one.",
                     true);
  }
}

std::string invite_only_page(const Site& site) {
  const bool closed = site.texts.mode == users::RegistrationMode::closed;
  // Partner members may skip the invite (auth.oidc.bypass_waitlist).
  const bool partner = !closed && site.texts.partner_bypasses_invites;
  return message(site, closed ? "Registrations are closed" : "Joining is by invitation",
                 closed ? "This instance is not taking new members at the moment."
                        : "You need an invite link from a member or the admins to sign up.",
                 true, partner ? partner_button(site, "") : mstch::node(false));
}

std::string welcome_page(const Site& site, const onboarding::SignUpResult& r,
                         const std::string& contact_email) {
  auto suggestions = suggestions_data(site, r.suggestions);
  const bool has_suggestions = !suggestions.empty();
  std::string partner;
  if (r.signs_in_with_partner) partner = site.texts.partner_name.value_or("your sign-in provider");
  return render_page(
      "welcome", site, "Welcome",
      {{"handle", r.handle},
       {"pending", r.pending},
       {"autofollows",
        r.autofollows.empty() ? std::string() : instance::handle_list(site.info, r.autofollows)},
       {"partner_name", std::move(partner)},
       {"contact_email", contact_email},
       {"has_suggestions", has_suggestions},
       {"suggestions", std::move(suggestions)}});
}

std::string waitlist_page(const Site& site, const WaitlistValues& v,
                          const std::string& csrf_token) {
  Form f{.id = "waitlist-form",
         .title = "Join the waitlist",
         .action = "/waitlist",
         .button = "Join the waitlist"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  f.privacy_link = site.has_privacy_policy;
  f.fields.push_back(Input{.name = "email",
                           .label = "Email address",
                           .type = "email",
                           .value = v.email,
                           .hint = "Your invite will be sent here. It is not shown to anyone else.",
                           .autocomplete = "email",
                           .max_length = 254});
  f.fields.push_back(Input{.name = "username",
                           .label = "Username you would like (optional)",
                           .value = v.username,
                           .hint = "Letters, digits and underscores, up to 30.",
                           .autocomplete = "username",
                           .required = false,
                           .max_length = 30});
  const bool need_reason = site.texts.require_reason;
  f.fields.push_back(Input{.name = "reason",
                           .label = need_reason ? "Why would you like to join?"
                                                : "Why would you like to join? (optional)",
                           .value = v.reason,
                           .required = need_reason,
                           .textarea = true,
                           .max_length = 1000});
  f.errors = v.errors;
  TemplateData data{{"form", form_data(f)}};
  add_rules(site, data);
  return render_page("waitlist", site, "Join the waitlist", std::move(data));
}

std::string waitlist_result_page(const Site& site, const onboarding::WaitlistResult& r) {
  using onboarding::WaitlistOutcome;
  return render_page("waitlist_result", site, "Waitlist",
                     {{"has_account", r.outcome == WaitlistOutcome::has_account},
                      {"joined", r.outcome == WaitlistOutcome::joined},
                      {"unconfirmed", !r.confirmed},
                      {"position", r.position ? std::to_string(*r.position) : std::string()}});
}

std::string waitlist_closed_page(const Site& site) {
  return message(site, "The waitlist is closed",
                 "This instance is not taking names for its waitlist at the moment.");
}

std::string refusal_page(const Site& site, const Refusal& r) {
  return message(site, r.status == 429 ? "Please slow down" : "Request refused", r.message);
}

std::string message_page(const Site& site, std::string_view heading, std::string_view text) {
  return message(site, heading, text);
}

std::string message_page(const Site& site, std::string_view heading, std::string_view text,
                         const PageLink& link) {
  return message(site, heading, text, false, false,
                 mstch::map{{"href", link.href}, {"label", link.label}});
}

Response refused(RouteContext& ctx, const Refusal& r) {
  Response res = html_response(r.status, refusal_page(load_site(ctx), r));
  if (r.status == 429) res.header("Retry-After", std::to_string(r.retry_after));
  return res;
}

Response try_again(RouteContext& ctx, const Error& e) {
  const int status = status_for(e);
  Response res =
      html_response(status, message(load_site(ctx), "Please try again", e.public_message()));
  if (e.retry_later()) res.header("Retry-After", std::to_string(k_retry_after_s));
  res.log_note = e.what();
  return res;
}

}  // namespace instctl::http::views
