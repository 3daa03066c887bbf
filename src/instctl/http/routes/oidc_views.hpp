#pragma once

// The partner sign-up pages' markup (auth::OidcService): the username form after the
// provider vouched for someone, the page recognising an account already linked, and the
// page explaining why a sign-in was refused.

#include <optional>
#include <string>
#include <vector>

#include "instctl/auth/oidc_service.hpp"
#include "instctl/http/routes/onboarding_views.hpp"

namespace instctl::http::views {

struct PartnerFormValues {
  std::string ticket;
  std::string username;
  std::string email;
  bool email_locked = false;
  bool agreed = false;
  std::vector<onboarding::FieldError> errors;
};

std::string partner_form_page(const Site& site, const PartnerFormValues& v,
                              const std::string& csrf_token);
std::string partner_account_page(const Site& site, const users::User& account,
                                 const std::string& handle);
std::string partner_refusal_page(const Site& site, const auth::Refusal& r);

}  // namespace instctl::http::views
