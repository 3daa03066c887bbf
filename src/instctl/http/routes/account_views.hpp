#pragma once

// The member's account pages under /settings: change password (/settings/password), export
// my data (/settings/export), delete my account (/settings/delete), and the section of
// /settings that leads to them and links or unlinks the partner identity. Views take plain
// values and render member_form, message and the _account_section partial.

#include <optional>
#include <string>
#include <vector>

#include "instctl/http/routes/site_frame.hpp"
#include "instctl/onboarding/onboarding_service.hpp"
#include "instctl/users/user.hpp"

namespace instctl::http::views {

// What the account section of /settings shows.
struct AccountSection {
  bool partner_offered = false;              // auth.oidc.* is configured
  bool partner_linked = false;               // the account has a linked identity
  std::optional<std::string> partner_email;  // as the provider gave it at linking
  bool has_password = true;
};
TemplateData account_section(const Site& site, const AccountSection& a,
                             const std::string& csrf_token);

std::string change_password_page(const Site& site, const users::User& user, bool has_password,
                                 const std::string& csrf_token,
                                 const std::vector<onboarding::FieldError>& errors);
std::string export_page(const Site& site, const users::User& user, const std::string& csrf_token);
// A member without a password (the partner's only) is told how to get one, which it needs.
std::string delete_page(const Site& site, const users::User& user, bool has_password,
                        const std::string& csrf_token,
                        const std::vector<onboarding::FieldError>& errors);
// After the deletion: the account is gone and this browser is signed out.
std::string deleted_page(const Site& site, const std::string& handle);

}  // namespace instctl::http::views
