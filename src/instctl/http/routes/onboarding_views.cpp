#include "instctl/http/routes/onboarding_views.hpp"

#include <fmt/format.h>

#include "instctl/util/html.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http::views {

namespace {

using onboarding::FieldError;
using onboarding::InviteState;
using util::html_escape;

std::string error_for(const std::vector<FieldError>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return e.message;
  }
  return "";
}

Input text_input(std::string name, std::string label, std::string value, std::string error) {
  Input in;
  in.name = std::move(name);
  in.label = std::move(label);
  in.value = std::move(value);
  in.error = std::move(error);
  return in;
}

std::string form_error_if(std::string_view message) {
  return message.empty() ? "" : form_error(message);
}

std::string card(std::string_view inner) { return fmt::format("<section class=\"card\">{}</section>\n", inner); }

std::string rules_section(const Site& s) {
  if (s.texts.rules.empty()) return "";
  std::string items;
  for (const auto& r : s.texts.rules) {
    items += "<li>" + html_escape(r.text);
    if (!r.hint.empty()) items += fmt::format("<span class=\"hint\">{}</span>", html_escape(r.hint));
    items += "</li>";
  }
  return card(fmt::format("<h2 id=\"rules\">Rules</h2><ol class=\"rules\">{}</ol>", items));
}

// Accounts an admin suggests (instctl suggestions): handle, name and the start of the bio.
std::string suggestions_section(const Site& s, const std::vector<users::User>& people) {
  if (people.empty()) return "";
  std::string items;
  for (const auto& u : people) {
    items += fmt::format("<li><span class=\"who\">{}</span>",
                         html_escape(instance::handle(s.info, u.username)));
    if (!u.display_name.empty()) items += " " + html_escape(u.display_name);
    if (!u.note.empty()) {
      std::string bio = u.note;
      for (auto& c : bio) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      items += fmt::format("<span class=\"bio\">{}</span>", html_escape(util::utf8_shorten(bio, 160)));
    }
    items += "</li>";
  }
  return card(fmt::format("<h2>People to follow</h2><p>The admins suggest these members to "
                          "newcomers:</p><ul class=\"people\">{}</ul>",
                          items));
}

std::string waitlist_link(const Site& s) {
  if (!s.texts.waitlist_enabled) return "";
  return "<p><a href=\"/waitlist\">Join the waitlist</a> and you will get an invite by email "
         "when a place opens.</p>";
}

// The site's header and footer come from the templates (site_frame.hpp); `inner` is this
// file's markup, every value in it escaped here.
std::string page(const Site& s, std::string_view heading, std::string_view inner) {
  return render_page("onboarding_page", s, heading, {{"body", std::string(inner)}});
}

std::string sign_up_form(const Site& s, const SignUpValues& v, const std::string& csrf) {
  std::string f = "<form method=\"post\" action=\"/auth/sign_up\" novalidate>\n";
  f += hidden_field(k_csrf_field, csrf);
  if (!v.invite_code.empty()) f += hidden_field("invite", v.invite_code);
  f += form_error_if(error_for(v.errors, ""));
  Input user = text_input("username", "Username", v.username, error_for(v.errors, "username"));
  // The same sentence as the invite's mail (invites::handle_sentence).
  user.hint = "Letters, digits and underscores, up to 30. " + invites::handle_sentence(s.info, v.handle);
  user.autocomplete = "username";
  user.max_length = 30;
  if (v.handle.choice == invites::HandleChoice::fixed) {
    user.value = v.handle.username;
    user.locked = true;
    user.hint = invites::handle_sentence(s.info, v.handle);
  } else if (v.handle.choice == invites::HandleChoice::suggested && user.value.empty()) {
    user.value = v.handle.username;
  }
  f += input_field(user);
  Input email = text_input("email", "Email address", v.locked_email ? *v.locked_email : v.email,
                           error_for(v.errors, "email"));
  email.type = "email";
  email.autocomplete = "email";
  email.max_length = 254;
  email.locked = v.locked_email.has_value();
  if (v.locked_email) email.hint = "This invite is for this address.";
  f += input_field(email);
  Input password = text_input("password", "Password", "", error_for(v.errors, "password"));
  password.type = "password";
  password.hint = "At least 8 characters.";
  password.autocomplete = "new-password";
  password.max_length = 1024;
  f += input_field(password);
  const auto agree = s.texts.rules.empty()
                         ? fmt::format("I agree to behave well on {}.", html_escape(title_of(s)))
                         : fmt::format("I have read the <a href=\"#rules\">rules</a> of {} and agree to them.",
                                       html_escape(title_of(s)));
  f += checkbox_field("agree", agree, v.agreed, error_for(v.errors, "agree"));
  f += "<button type=\"submit\">Create account</button>\n</form>\n";
  return card("<h2>Create your account</h2>" + f);
}

// "Continue with <provider>": partner sign-up (auth.oidc.*), beside the form.
std::string partner_section(const Site& s, std::string_view invite_code) {
  if (!s.texts.partner_name) return "";
  const auto href = invite_code.empty()
                        ? std::string("/auth/oidc/start")
                        : "/auth/oidc/start?invite=" + util::percent_encode(invite_code);
  return card(fmt::format(
      "<a class=\"button\" id=\"partner-sign-in\" href=\"{}\">Continue with {}</a>"
      "<p class=\"hint\">Sign in at {} and choose your username here: no password needed.</p>",
      html_escape(href), html_escape(*s.texts.partner_name), html_escape(*s.texts.partner_name)));
}

}  // namespace

std::string invite_page(const Site& site, const invites::Invite& invite, const SignUpValues& v,
                        const std::string& csrf_token) {
  std::string body = fmt::format("<p class=\"ok\">You have been invited to join {}.</p>\n",
                                 html_escape(title_of(site)));
  if (invite.waitlist_id) {
    body += "<p>Thank you for waiting: your turn on the waitlist has come.</p>\n";
  } else if (!invite.message.empty()) {
    // The invite's message (invites create --message); its note is for admins only.
    body += card(fmt::format("<h2>A message from your inviter</h2><p class=\"note\">{}</p>",
                             html_escape(invite.message)));
  }
  if (!invite.autofollows.empty()) {
    body += fmt::format("<p>You will follow {} when you join.</p>\n",
                        html_escape(instance::handle_list(site.info, invite.autofollows)));
  }
  body += rules_section(site) + partner_section(site, invite.code) + sign_up_form(site, v, csrf_token);
  return page(site, "You're invited", body);
}

std::string sign_up_page(const Site& site, const SignUpValues& v, const std::string& csrf_token) {
  std::string body;
  if (site.texts.mode == invites::RegistrationMode::approval) {
    body += "<p>A moderator reviews each new account before it can be used.</p>\n";
  }
  return page(site, "Sign up",
              body + rules_section(site) + partner_section(site, "") + sign_up_form(site, v, csrf_token));
}

int invite_problem_status(InviteState state) {
  switch (state) {
    case InviteState::invalid: return 404;
    case InviteState::closed: return 403;
    default: return 410;
  }
}

std::string invite_problem_page(const Site& site, InviteState state) {
  std::string heading;
  std::string text;
  switch (state) {
    case InviteState::expired:
      heading = "This invite has expired";
      text = "Invites are valid for a limited time. Ask the person who invited you for a new one.";
      break;
    case InviteState::exhausted:
      heading = "This invite has been used up";
      text = "It has already been used as many times as it allows. Ask the person who invited you "
             "for a new one.";
      break;
    case InviteState::revoked:
      heading = "This invite has been withdrawn";
      text = "The instance's admins have cancelled it. Ask the person who invited you for a new one.";
      break;
    case InviteState::closed:
      heading = "Registrations are closed";
      text = "This instance is not taking new members at the moment, even with an invite.";
      break;
    default:
      heading = "This invite link is not valid";
      text = "Check that you copied the whole link. If it still does not work, ask the person who "
             "invited you for a new one.";
  }
  return page(site, heading,
              card(fmt::format("<h2>{}</h2><p>{}</p>{}", html_escape(heading), html_escape(text),
                               waitlist_link(site))));
}

std::string invite_only_page(const Site& site) {
  const bool closed = site.texts.mode == invites::RegistrationMode::closed;
  const std::string heading = closed ? "Registrations are closed" : "Joining is by invitation";
  const std::string text = closed ? "This instance is not taking new members at the moment."
                                  : "You need an invite link from a member or the admins to sign up.";
  // Partner members may skip the invite (auth.oidc.bypass_waitlist).
  const bool partner = !closed && site.texts.partner_bypasses_invites;
  return page(site, heading,
              card(fmt::format("<h2>{}</h2><p>{}</p>{}", html_escape(heading), html_escape(text),
                               waitlist_link(site))) +
                  (partner ? partner_section(site, "") : ""));
}

std::string welcome_page(const Site& site, const onboarding::SignUpResult& r,
                         const std::string& contact_email) {
  std::string body = fmt::format(
      "<section class=\"card\"><h2>Welcome to {}!</h2><p>Your handle is</p>"
      "<p class=\"handle\">{}</p>",
      html_escape(title_of(site)), html_escape(r.handle));
  body += r.pending ? "<p class=\"alert\" role=\"status\">Your account is waiting for a "
                      "moderator's approval. You can use it once it is approved.</p>"
                    : "<p class=\"ok\" role=\"status\">Your account is ready: no approval needed.</p>";
  body += "</section>\n<section class=\"card\"><h2>What happens next</h2><ul>";
  if (r.pending) body += "<li>A moderator will look at your sign-up soon.</li>";
  if (!r.autofollows.empty()) {
    body += fmt::format("<li>You now follow {}.</li>", html_escape(instance::handle_list(site.info, r.autofollows)));
  }
  body += fmt::format(
      "<li>Share your handle, {}, so people on this and other fediverse servers can find and "
      "follow you.</li>",
      html_escape(r.handle));
  body += r.signs_in_with_partner
              ? fmt::format("<li>You sign in through {}: no separate password is kept here.</li>",
                            html_escape(site.texts.partner_name.value_or("your sign-in provider")))
              : "<li>Keep your password safe: the admins will never ask you for it.</li>";
  if (!contact_email.empty()) {
    body += fmt::format("<li>Questions? Write to the admins at <a href=\"mailto:{0}\">{0}</a>.</li>",
                        html_escape(contact_email));
  }
  body += "</ul></section>\n";
  body += suggestions_section(site, r.suggestions);
  return page(site, "Welcome", body);
}

std::string waitlist_page(const Site& site, const WaitlistValues& v, const std::string& csrf_token) {
  std::string f = "<form method=\"post\" action=\"/waitlist\" novalidate>\n";
  f += hidden_field(k_csrf_field, csrf_token);
  f += form_error_if(error_for(v.errors, ""));
  Input email = text_input("email", "Email address", v.email, error_for(v.errors, "email"));
  email.type = "email";
  email.hint = "Your invite will be sent here. It is not shown to anyone else.";
  email.autocomplete = "email";
  email.max_length = 254;
  f += input_field(email);
  Input user = text_input("username", "Username you would like (optional)", v.username,
                          error_for(v.errors, "username"));
  user.hint = "Letters, digits and underscores, up to 30.";
  user.autocomplete = "username";
  user.required = false;
  user.max_length = 30;
  f += input_field(user);
  const bool need_reason = site.texts.require_reason;
  Input reason = text_input("reason", need_reason ? "Why would you like to join?"
                                                  : "Why would you like to join? (optional)",
                            v.reason, error_for(v.errors, "reason"));
  reason.required = need_reason;
  reason.max_length = 1000;
  f += textarea_field(reason);
  f += "<button type=\"submit\">Join the waitlist</button>\n</form>\n";
  const auto intro = fmt::format(
      "<p>{} is invite-only. Join the waitlist and you will get an invite by email when a place "
      "opens.</p>\n",
      html_escape(title_of(site)));
  return page(site, "Join the waitlist", intro + rules_section(site) + card("<h2>Join the waitlist</h2>" + f));
}

std::string waitlist_result_page(const Site& site, const onboarding::WaitlistResult& r) {
  using onboarding::WaitlistOutcome;
  std::string inner;
  if (r.outcome == WaitlistOutcome::has_account) {
    inner = "<h2>You already have an account</h2><p>This address already belongs to an account "
            "here, so it does not need the waitlist.</p>";
  } else {
    inner = r.outcome == WaitlistOutcome::joined
                ? "<h2>You're on the list!</h2>"
                : "<h2>You're already on the list</h2><p>This address joined the waitlist "
                  "before; it keeps its place.</p>";
    inner += r.position ? fmt::format("<p>Your place in the queue:</p><p class=\"big\">{}</p>"
                                      "<p>We will email you an invite when it is your turn.</p>",
                                      *r.position)
                        : "<p>Its turn has come already: look for an invite in your email.</p>";
  }
  return page(site, "Waitlist", card(inner));
}

std::string waitlist_closed_page(const Site& site) {
  return page(site, "The waitlist is closed",
              card("<h2>The waitlist is closed</h2><p>This instance is not taking names for its "
                   "waitlist at the moment.</p>"));
}

std::string refusal_page(const Site& site, const Refusal& r) {
  const std::string heading = r.status == 429 ? "Please slow down" : "Request refused";
  return page(site, heading,
              card(fmt::format("<h2>{}</h2><p>{}</p>", html_escape(heading), html_escape(r.message))));
}

std::string site_page(const Site& site, std::string_view heading, std::string_view inner) {
  return page(site, heading, inner);
}
std::string card_of(std::string_view inner) { return card(inner); }
std::string rules_of(const Site& site) { return rules_section(site); }
std::string field_error(const std::vector<FieldError>& errors, std::string_view field) {
  return error_for(errors, field);
}

Response refused(RouteContext& ctx, const Refusal& r) {
  Response res = html_response(r.status, refusal_page(load_site(ctx), r));
  if (r.status == 429) res.header("Retry-After", std::to_string(r.retry_after));
  return res;
}

}  // namespace instctl::http::views
