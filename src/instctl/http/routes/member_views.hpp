#pragma once

// The member's own pages: set a password from an activation or reset link, sign in, the
// signed-in page (/settings). Views take plain values and render the templates member_form,
// settings and message, which escape every value.

#include <string>
#include <vector>

#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/site_frame.hpp"
#include "instctl/onboarding/onboarding_service.hpp"
#include "instctl/users/user.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::http::views {

// A password field: never shown again, up to 1024 characters.
Input password_input(std::string name, std::string label, std::string autocomplete,
                     std::string hint = "");
// The new password and its confirmation (fields password, password_confirmation), with the
// rule's hint.
void add_new_password_fields(Form& f, std::string label, std::string again_label);

// /auth/activate/TOKEN or /auth/reset/TOKEN: the password form for `user`.
std::string password_page(const Site& site, users::PasswordLink kind, const users::User& user,
                          const std::string& action, const std::string& csrf_token,
                          const std::vector<onboarding::FieldError>& errors);
// Why a link cannot be used (expired, or unknown: never valid or already used), and what to do.
std::string link_problem_page(const Site& site, users::PasswordLink kind, users::LinkState state);
int link_problem_status(users::LinkState state);

// /auth/sign_in, with the name typed so far and the problems of the last try.
std::string sign_in_page(const Site& site, const std::string& login, const std::string& csrf_token,
                         const std::vector<onboarding::FieldError>& errors);
// /auth/forgot: the username or address typed so far and its problem.
std::string forgot_password_page(const Site& site, const std::string& login,
                                 const std::string& csrf_token,
                                 const std::vector<onboarding::FieldError>& errors);
// After /auth/forgot, whatever was typed: where the link went, if anywhere.
std::string reset_mail_sent_page(const Site& site);
// "please try again in N minutes", for a lock-out that ends in `seconds`.
std::string try_again_in(std::int64_t seconds);
// The right password for an account that cannot sign in now (pending, suspended...).
std::string cannot_sign_in_page(const Site& site, const users::User& user);
// After signing out.
std::string signed_out_page(const Site& site);

// The profile form of /settings as submitted (or as stored, on a first visit).
struct ProfileValues {
  std::string display_name;
  std::string note;
  bool discoverable = false;
  std::vector<onboarding::FieldError> errors;
};
ProfileValues profile_values(const users::User& user);

// /settings for the signed-in member: who they are, the profile form, the followers section
// (follower_views.hpp), the account section (account_views.hpp: account_section), sign-out.
std::string settings_page(const Site& site, const users::User& user, const ProfileValues& profile,
                          const std::string& csrf_token, const std::string& notice,
                          TemplateData followers, TemplateData account);

}  // namespace instctl::http::views
