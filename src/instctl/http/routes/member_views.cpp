#include "instctl/http/routes/member_views.hpp"

#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::http::views {

namespace {

using users::LinkState;
using users::PasswordLink;
using users::Status;

std::string member_form(const Site& s, std::string_view title, const Form& f,
                        const std::string& intro, const std::string& handle,
                        const std::optional<PageLink>& link = std::nullopt) {
  TemplateData d{{"intro", intro}, {"handle", handle}, {"form", form_data(f)}};
  if (link) d["link"] = TemplateData{{"href", link->href}, {"label", link->label}};
  return render_page("member_form", s, title, d);
}

}  // namespace

Input password_input(std::string name, std::string label, std::string autocomplete,
                     std::string hint) {
  return Input{.name = std::move(name),
               .label = std::move(label),
               .type = "password",
               .hint = std::move(hint),
               .autocomplete = std::move(autocomplete),
               .max_length = 1024};
}

void add_new_password_fields(Form& f, std::string label, std::string again_label) {
  f.fields.push_back(
      password_input("password", std::move(label), "new-password", "At least 8 characters."));
  f.fields.push_back(
      password_input("password_confirmation", std::move(again_label), "new-password"));
}

std::string password_page(const Site& site, PasswordLink kind, const users::User& user,
                          const std::string& action, const std::string& csrf_token,
                          const std::vector<onboarding::FieldError>& errors) {
  const bool activation = kind == PasswordLink::activation;
  Form f{.id = "password-form",
         .title = activation ? "Choose your password" : "Choose a new password",
         .action = action,
         .button = activation ? "Set password and sign in" : "Change password and sign in"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  add_new_password_fields(f, activation ? "Password" : "New password", "The same password again");
  f.errors = errors;
  const std::string intro =
      activation ? "Welcome! Choose the password for your account:"
                 : "Choose a new password for your account. Everywhere you are signed in will be "
                   "signed out.";
  return member_form(site, f.title, f, intro, instance::handle(site.info, user.username));
}

int link_problem_status(LinkState state) { return state == LinkState::expired ? 410 : 404; }

std::string link_problem_page(const Site& site, PasswordLink kind, LinkState state) {
  const bool activation = kind == PasswordLink::activation;
  const PageLink sign_in{"/auth/sign_in", "Sign in"};
  if (state == LinkState::expired) {
    return message_page(
        site, activation ? "This activation link has expired" : "This password link has expired",
        activation ? "Activation links work for 7 days. Ask the instance's admins for a new link."
                   : "Password links work for 24 hours. You can ask for a new one.",
        activation ? sign_in : PageLink{"/auth/forgot", "Get a new link"});
  }
  return message_page(
      site, "This link cannot be used",
      activation ? "It has already been used, or it was not copied completely. If you have set "
                   "your password with it, sign in. Otherwise ask the instance's admins for a "
                   "new link."
                 : "It has already been used, or it was not copied completely. If you have set "
                   "your password with it, sign in. Otherwise ask for a new link from the "
                   "sign-in page (\"Forgot your password?\").",
      sign_in);
}

std::string sign_in_page(const Site& site, const std::string& login, const std::string& csrf_token,
                         const std::vector<onboarding::FieldError>& errors) {
  Form f{.id = "sign-in-form", .title = "Sign in", .action = "/auth/sign_in", .button = "Sign in"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  f.fields.push_back(Input{.name = "login",
                           .label = "Username or email address",
                           .value = login,
                           .autocomplete = "username",
                           .max_length = 320});
  f.fields.push_back(password_input("password", "Password", "current-password"));
  f.errors = errors;
  f.privacy_link = site.has_privacy_policy;  // it takes an email address
  mstch::node partner = false;
  if (site.texts.partner_name) partner = mstch::map{{"name", *site.texts.partner_name}};
  return render_page("member_form", site, "Sign in",
                     {{"form", form_data(f)},
                      {"partner_sign_in", std::move(partner)},
                      {"link", TemplateData{{"href", std::string("/auth/forgot")},
                                            {"label", std::string("Forgot your password?")}}}});
}

std::string try_again_in(std::int64_t seconds) {
  return "please try again in " + util::counted((seconds + 59) / 60, "minute");
}

std::string forgot_password_page(const Site& site, const std::string& login,
                                 const std::string& csrf_token,
                                 const std::vector<onboarding::FieldError>& errors) {
  Form f{.id = "forgot-form",
         .title = "Forgot your password?",
         .action = "/auth/forgot",
         .button = "Mail me a link"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  f.fields.push_back(Input{.name = "login",
                           .label = "Username or email address",
                           .value = login,
                           .autocomplete = "username",
                           .max_length = 320});
  f.errors = errors;
  f.privacy_link = site.has_privacy_policy;  // it takes an email address
  return member_form(site, f.title, f,
                     "Give your username or the email address of your account, and we will mail "
                     "you a link to choose a new password.",
                     "", PageLink{"/auth/sign_in", "Back to sign in"});
}

std::string reset_mail_sent_page(const Site& site) {
  return message_page(
      site, "Check your mail",
      "If this names an account here that has an email address, a link to choose a new "
      "password is on its way to that address. It works for 24 hours. If nothing arrives within "
      "a few minutes, look in your spam folder, or ask the instance's admins.",
      PageLink{"/auth/sign_in", "Sign in"});
}

std::string cannot_sign_in_page(const Site& site, const users::User& user) {
  std::string text;
  switch (user.status) {
    case Status::pending:
      text =
          "Your account is waiting for a moderator's approval. You can sign in once it is "
          "approved.";
      break;
    case Status::suspended:
    case Status::disabled:
      text =
          "Your account has been suspended or disabled by the instance's moderators. Write to "
          "them if you think this is a mistake.";
      break;
    default:
      text = "This account cannot be used to sign in.";
  }
  return message_page(site, "You cannot sign in now", text);
}

std::string signed_out_page(const Site& site) {
  return message_page(site, "You have signed out", "See you soon.",
                      PageLink{"/auth/sign_in", "Sign in again"});
}

ProfileValues profile_values(const users::User& user) {
  return {user.display_name, user.note, user.discoverable, {}};
}

std::string settings_page(const Site& site, const users::User& user, const ProfileValues& profile,
                          const std::string& csrf_token, const std::string& notice,
                          TemplateData followers, TemplateData account) {
  Form f{.id = "profile-form", .title = "Your profile", .action = "/settings", .button = "Save"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  f.fields.push_back(Input{.name = "display_name",
                           .label = "Display name",
                           .value = profile.display_name,
                           .hint = "Up to 30 characters, shown with your handle.",
                           .required = false,
                           .max_length = 30});
  f.fields.push_back(
      Input{.name = "note",
            .label = "Bio",
            .value = profile.note,
            .hint = "Up to 500 characters, on your profile page and on other servers.",
            .required = false,
            .textarea = true,
            .max_length = 500});
  f.fields.push_back(Input{.name = "discoverable",
                           .label = "List me in the directory of this server's members",
                           .hint = "Apps show the directory to people looking for accounts to "
                                   "follow, and search engines may index your profile page.",
                           .required = false,
                           .checkbox = true,
                           .checked = profile.discoverable});
  f.errors = profile.errors;
  return render_page(
      "settings", site, "Your account",
      {{"notice", notice},
       {"handle", instance::handle(site.info, user.username)},
       {"display_name", user.display_name},
       {"profile", form_data(f)},
       {"followers", std::move(followers)},
       {"account", std::move(account)},
       {"sign_out", form_data(form_with_token("sign-out-form", "Sign out", "/auth/sign_out",
                                              "Sign out of this browser", csrf_token))}});
}

}  // namespace instctl::http::views
