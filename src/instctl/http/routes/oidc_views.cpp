#include "instctl/http/routes/oidc_views.hpp"

#include <fmt/format.h>

namespace instctl::http::views {

namespace {

std::string partner(const Site& site) { return site.texts.partner_name.value_or("your provider"); }

}  // namespace

std::string partner_form_page(const Site& site, const PartnerFormValues& v,
                              const std::string& csrf_token) {
  Form f{.id = "partner-form",
         .title = "Choose your username",
         .action = "/auth/oidc/register",
         .button = "Create account"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  f.hidden.emplace_back("ticket", v.ticket);
  f.privacy_link = site.has_privacy_policy;
  f.fields.push_back(Input{.name = "username",
                           .label = "Username",
                           .value = v.username,
                           .hint = fmt::format("Letters, digits and underscores, up to 30. Your "
                                               "handle will be @username@{}.",
                                               site.info.account_domain),
                           .autocomplete = "username",
                           .max_length = 30});
  f.fields.push_back(
      Input{.name = "email",
            .label = "Email address",
            .type = "email",
            .value = v.email,
            .hint = v.email_locked ? fmt::format("Confirmed by {}.", partner(site)) : "",
            .autocomplete = "email",
            .locked = v.email_locked,
            .max_length = 254});
  f.agree = Agreement{!site.texts.rules.empty(), "", v.agreed};
  f.errors = v.errors;
  TemplateData data{{"partner_name", partner(site)}, {"form", form_data(f)}};
  add_rules(site, data);
  return render_page("partner_form", site, "Choose your username", std::move(data));
}

std::string partner_account_page(const Site& site, const users::User& account,
                                 const std::string& handle) {
  const bool pending = account.status == users::Status::pending;
  const bool active = account.status == users::Status::active;
  return render_page(
      "partner_account", site, "Your account",
      {{"partner_name", partner(site)},
       {"handle", handle},
       {"pending", pending},
       {"active", active},
       {"other_status",
        pending || active ? std::string() : std::string(users::to_string(account.status))}});
}

std::string partner_refusal_page(const Site& site, const auth::Refusal& r) {
  return message_page(site, r.heading, r.message);
}

}  // namespace instctl::http::views
