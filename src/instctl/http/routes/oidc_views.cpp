#include "instctl/http/routes/oidc_views.hpp"

#include <fmt/format.h>

#include "instctl/util/html.hpp"

namespace instctl::http::views {

namespace {

using util::html_escape;

std::string partner(const Site& site) { return site.texts.partner_name.value_or("your provider"); }

}  // namespace

std::string partner_form_page(const Site& site, const PartnerFormValues& v,
                              const std::string& csrf_token) {
  std::string f = "<form method=\"post\" action=\"/auth/oidc/register\" novalidate>\n";
  f += hidden_field(k_csrf_field, csrf_token);
  f += hidden_field("ticket", v.ticket);
  if (const auto e = field_error(v.errors, ""); !e.empty()) f += form_error(e);
  Input user;
  user.name = "username";
  user.label = "Username";
  user.value = v.username;
  user.error = field_error(v.errors, "username");
  user.hint = fmt::format("Letters, digits and underscores, up to 30. Your handle will be "
                          "@username@{}.", site.info.account_domain);
  user.autocomplete = "username";
  user.max_length = 30;
  f += input_field(user);
  Input email;
  email.name = "email";
  email.label = "Email address";
  email.type = "email";
  email.value = v.email;
  email.error = field_error(v.errors, "email");
  email.locked = v.email_locked;
  email.autocomplete = "email";
  email.max_length = 254;
  if (v.email_locked) email.hint = fmt::format("Confirmed by {}.", partner(site));
  f += input_field(email);
  f += checkbox_field("agree",
                      site.texts.rules.empty()
                          ? std::string("I agree to behave well here.")
                          : std::string("I have read the <a href=\"#rules\">rules</a> and agree to them."),
                      v.agreed, field_error(v.errors, "agree"));
  f += "<button type=\"submit\">Create account</button>\n</form>\n";
  const auto intro = fmt::format(
      "<p class=\"ok\" role=\"status\">{} confirmed who you are. Choose your username to "
      "finish.</p>\n",
      html_escape(partner(site)));
  return site_page(site, "Choose your username",
                   intro + rules_of(site) + card_of("<h2>Choose your username</h2>" + f));
}

std::string partner_account_page(const Site& site, const users::User& account,
                                 const std::string& handle) {
  std::string inner = fmt::format(
      "<h2>Welcome back!</h2><p>Your {} account is linked to this account here:</p>"
      "<p class=\"handle\">{}</p>",
      html_escape(partner(site)), html_escape(handle));
  if (account.status == users::Status::pending) {
    inner += "<p class=\"alert\" role=\"status\">It is still waiting for a moderator's approval.</p>";
  } else if (account.status != users::Status::active) {
    inner += fmt::format("<p class=\"alert\" role=\"status\">It is {}. Write to the admins if you "
                         "think this is a mistake.</p>",
                         users::to_string(account.status));
  } else {
    inner += "<p>No new account was created: you already have this one.</p>";
  }
  return site_page(site, "Your account", card_of(inner));
}

std::string partner_refusal_page(const Site& site, const auth::Refusal& r) {
  return site_page(site, r.heading,
                   card_of(fmt::format("<h2>{}</h2><p>{}</p>", html_escape(r.heading),
                                       html_escape(r.message))));
}

}  // namespace instctl::http::views
