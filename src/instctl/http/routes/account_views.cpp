#include "instctl/http/routes/account_views.hpp"

#include <fmt/format.h>

#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/member_views.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http::views {

namespace {

Input current_password(std::string label) {
  return password_input("current_password", std::move(label), "current-password");
}

std::string page(const Site& s, std::string_view title, const Form& f, const std::string& intro,
                 const users::User& user) {
  return render_page("member_form", s, title,
                     {{"intro", intro},
                      {"handle", instance::handle(s.info, user.username)},
                      {"form", form_data(f)},
                      {"back", true}});
}

}  // namespace

TemplateData account_section(const Site& site, const AccountSection& a,
                             const std::string& csrf_token) {
  TemplateData data{{"partner", false}};
  if (!a.partner_offered && !a.partner_linked) return data;
  const auto name = site.texts.partner_name.value_or("the partner");
  std::string text;
  Form f;
  if (a.partner_linked) {
    text = a.partner_email
               ? fmt::format("Your {} account ({}) is linked: you can sign in with it.", name,
                             *a.partner_email)
               : fmt::format("Your {} account is linked: you can sign in with it.", name);
    if (!a.has_password) {
      text += " Your account has no password yet: set one with a reset link before you unlink it.";
    }
    f = form_with_token("unlink-form", name, "/settings/partner/unlink", "Unlink " + name,
                        csrf_token);
  } else {
    text = fmt::format("Link your {} account to sign in with it instead of your password.", name);
    // A link: a form's redirect to the provider would be stopped by the CSP's form-action.
    data["partner"] = mstch::map{
        {"heading", name},
        {"text", text},
        {"link", mstch::map{{"href", "/settings/partner/link?" + std::string(k_csrf_field) + "=" +
                                         util::percent_encode(csrf_token)},
                            {"label", "Link " + name}}}};
    return data;
  }
  data["partner"] = mstch::map{{"heading", name}, {"text", text}, {"form", form_data(f)}};
  return data;
}

namespace {

// How a member who signs in with the partner only gets a password, for the pages asking one.
std::string no_password_yet() {
  return "Your account has no password yet (you sign in with the partner). Get a password link "
         "with \"Forgot your password?\" on the sign-in page, or ask the admins for one.";
}

}  // namespace

std::string change_password_page(const Site& site, const users::User& user, bool has_password,
                                 const std::string& csrf_token,
                                 const std::vector<onboarding::FieldError>& errors) {
  auto f = form_with_token("password-form", "Change your password", "/settings/password",
                           "Change password", csrf_token);
  f.fields.push_back(current_password("Current password"));
  add_new_password_fields(f, "New password", "The new password again");
  f.errors = errors;
  const std::string intro =
      has_password
          ? "Everywhere else you are signed in will be signed out; this browser stays signed in."
          : no_password_yet();
  return page(site, "Change your password", f, intro, user);
}

std::string export_page(const Site& site, const users::User& user, const std::string& csrf_token) {
  const auto f = form_with_token("export-form", "Export your data", "/settings/export",
                                 "Download my data (JSON)", csrf_token);
  return page(site, "Export your data", f,
              "One JSON file of what this instance holds about you: your account and settings, "
              "your linked partner identity, your followers, the accounts you follow, the follow "
              "requests waiting for you, the invites you made, the reports you filed, the "
              "moderation actions taken on your account and your waitlist entry. It never "
              "contains your password or keys.",
              user);
}

std::string delete_page(const Site& site, const users::User& user, bool has_password,
                        const std::string& csrf_token,
                        const std::vector<onboarding::FieldError>& errors) {
  auto f = form_with_token("delete-form", "Delete your account", "/settings/delete",
                           "Delete my account for ever", csrf_token);
  f.fields.push_back(current_password("Your password, to confirm"));
  f.errors = errors;
  std::string intro =
      "Your profile disappears, other servers are told that your account is gone, and your "
      "username cannot be used again. This cannot be undone.";
  if (!has_password) intro += " Deleting it asks for your password. " + no_password_yet();
  return page(site, "Delete your account", f, intro, user);
}

std::string deleted_page(const Site& site, const std::string& handle) {
  return message_page(site, "Your account is deleted",
                      fmt::format("{} is gone, and you are signed out. Other servers are being "
                                  "told. Thank you for having been here.",
                                  handle));
}

}  // namespace instctl::http::views
