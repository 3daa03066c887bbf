#pragma once

// Members signed in to the instance's pages: sessions (a random token in the browser's cookie,
// its SHA-256 in the database), sign-in with a password, and the lock-out after repeated
// failures, which answers an unknown name exactly as it answers a known one, in whichever
// forms it is typed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::auth {

// A session lasts this long from sign-in.
inline constexpr std::int64_t k_session_lifetime = 14 * 86400;
// This many failed sign-ins with one name within the window lock that name out, whether or not
// an account has it ("bea", "@bea@domain" and "BEA" are one name; the account's email address
// is another, so an account takes at most twice this many per window); this many wrong
// answers of a signed-in member asked for the password again lock the account, sign-in too.
inline constexpr std::int64_t k_sign_in_failures = 5;
inline constexpr std::int64_t k_sign_in_window = 15 * 60;
inline constexpr std::int64_t k_lock_out = 15 * 60;

struct NewSession {
  std::string token;  // for the cookie only: never stored, logged or printed
  UnixTime expires_at = 0;
};

enum class SignInOutcome {
  signed_in,
  refused,   // unknown name or wrong password: the same answer
  locked,    // too many failures: retry_after
  unusable,  // right password, but the account may not sign in (pending, suspended...)
};

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::refused;
  std::optional<users::User> user;  // signed_in and unusable only
  std::optional<NewSession> session;
  std::int64_t retry_after = 0;
};

// A password asked again of a signed-in member (changing it, deleting the account): counted on
// the account, whose lock-out locks sign-in too.
enum class PasswordCheck { right, wrong, locked };
struct PasswordCheckResult {
  PasswordCheck outcome = PasswordCheck::wrong;
  std::int64_t retry_after = 0;  // locked only
};

// Whether an account may use the instance's pages: active or silenced.
bool may_sign_in(const users::User& u);

class SessionService {
 public:
  explicit SessionService(Env& env) : m_env(env) {}

  NewSession start(std::int64_t account_id);
  // The account of a session cookie's token while the session lasts and the account may sign in.
  std::optional<users::User> current(std::string_view token);
  void end(std::string_view token);
  // Ends every session of the account (its password was set again); how many there were.
  std::int64_t end_all(std::int64_t account_id);

  SignInResult sign_in(std::string_view login, std::string_view password);
  // Partner sign-in to the account the provider's identity is linked to: a session when the
  // account may sign in, else `unusable`.
  SignInResult sign_in_linked(const users::User& u);
  PasswordCheckResult confirm_password(const users::User& u, std::string_view password);

 private:
  // The lock-out around one password check: locked while `key` or `also_locked_by` is, else
  // wrong (counted on `key`) or right (`key` cleared).
  PasswordCheckResult check_password(const std::string& key, const std::string& also_locked_by,
                                     const std::optional<users::User>& u,
                                     std::string_view password);
  // A session for an account whose identity was proven (`method`: password, partner).
  SignInResult open_session(const users::User& u, std::string_view method);
  // Counts a failure; true when the key is now locked out.
  bool count_failure(const std::string& key, UnixTime now);
  Env& m_env;
};

}  // namespace instctl::auth
