#pragma once

// "Forgot password" (/auth/forgot): a reset link mailed to the account a person names by its
// username or address. The page answers the same whatever happens here, and no sooner than
// k_forgot_answer_floor after the request began (the route holds its answer back without
// holding a worker: http/answer_later.hpp), so neither the answer nor its timing says whether
// an account exists; the caller rate-limits by client and by `key`.

#include <chrono>
#include <string>
#include <string_view>

#include "instctl/db/env.hpp"

namespace instctl::users {

// How long every "forgot password" answer takes at least. The work for an account (a token,
// the mail rendered and queued, the audit line, a commit) takes a few milliseconds, for an
// unknown name next to nothing; both answers go out once this much has passed since the
// request began, well above the account's work even on a loaded machine or a remote database.
inline constexpr std::chrono::milliseconds k_forgot_answer_floor{250};

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

  // A request as the page makes it: the mail when `may_mail` (the caller's per-account limit
  // was not reached). Returns when the answer may go: k_forgot_answer_floor after `began`.
  std::chrono::steady_clock::time_point request(std::string_view login, bool may_mail,
                                                std::chrono::steady_clock::time_point began);

 private:
  Env& m_env;
};

}  // namespace instctl::users
