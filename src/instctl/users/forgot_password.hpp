#pragma once

// "Forgot password" (/auth/forgot): a reset link mailed to the account a person names by its
// username or address. The page answers the same whatever happens here, so the answer never
// says whether an account exists; the caller rate-limits by client and by `key`.

#include <string>
#include <string_view>

#include "instctl/db/env.hpp"

namespace instctl::users {

class ForgotPassword {
 public:
  explicit ForgotPassword(Env& env) : m_env(env) {}

  // The rate-limit key for `login`: the account's when it names one, else the name as typed
  // (folded), so a username and an address of one account share a bucket.
  std::string key(std::string_view login);

  // Queues the password-reset mail with a fresh link (valid 24 h; it replaces the account's
  // earlier reset link) when `login` names a local account that may sign in and has an
  // address, and mail is enabled. Otherwise does nothing. Says nothing either way.
  void mail_reset_link(std::string_view login);

 private:
  Env& m_env;
};

}  // namespace instctl::users
