#include "instctl/auth/session_service.hpp"

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/auth/session_store.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::auth {

namespace {

std::string account_lock_key(std::int64_t id) { return "account:" + std::to_string(id); }

}  // namespace

bool may_sign_in(const users::User& u) {
  return u.is_local() && (u.status == users::Status::active || u.status == users::Status::silenced);
}

NewSession SessionService::start(std::int64_t account_id) {
  NewSession s{crypto::random_token(), m_env.clock.now() + k_session_lifetime};
  SessionStore store(m_env.db);
  store.insert(crypto::sha256_hex(s.token), account_id, m_env.clock.now(), s.expires_at);
  store.prune(m_env.clock.now(), m_env.clock.now() - k_sign_in_window);
  return s;
}

std::optional<users::User> SessionService::current(std::string_view token) {
  if (token.empty()) return std::nullopt;
  const auto id = SessionStore(m_env.db).account_of(crypto::sha256_hex(token), m_env.clock.now());
  if (!id) return std::nullopt;
  auto u = users::UserService(m_env).find_by_id(*id);
  if (!u || !may_sign_in(*u)) return std::nullopt;
  return u;
}

void SessionService::end(std::string_view token) {
  if (!token.empty()) SessionStore(m_env.db).remove(crypto::sha256_hex(token));
}

std::int64_t SessionService::end_all(std::int64_t account_id) {
  return SessionStore(m_env.db).remove_all(account_id);
}

bool SessionService::count_failure(const std::string& key, UnixTime now) {
  db::Transaction tx(m_env.db);
  SessionStore store(m_env.db);
  auto f = store.failures(key).value_or(FailureCount{0, now, 0});
  if (f.first_failed_at + k_sign_in_window <= now) f = FailureCount{0, now, 0};
  ++f.failures;
  const bool locked = f.failures >= k_sign_in_failures;
  if (locked) f.locked_until = now + k_lock_out;
  store.save_failures(key, f);
  tx.commit();
  return locked;
}

PasswordCheckResult SessionService::check_password(const std::string& key,
                                                   const std::string& also_locked_by,
                                                   const std::optional<users::User>& u,
                                                   std::string_view password) {
  const auto now = m_env.clock.now();
  SessionStore store(m_env.db);
  std::int64_t locked_for = 0;
  for (const auto& k : {key, also_locked_by}) {
    if (const auto f = store.failures(k); f && f->locked_until > now) {
      locked_for = std::max(locked_for, f->locked_until - now);
    }
  }
  if (locked_for > 0) return {PasswordCheck::locked, locked_for};
  if (!users::UserService(m_env).password_matches(u, password)) {
    if (count_failure(key, now)) return {PasswordCheck::locked, k_lock_out};
    return {};
  }
  store.clear_failures(key);
  return {PasswordCheck::right, 0};
}

PasswordCheckResult SessionService::confirm_password(const users::User& u,
                                                     std::string_view password) {
  const auto key = account_lock_key(u.id);
  return check_password(key, key, u, password);
}

SignInResult SessionService::open_session(const users::User& u, std::string_view method) {
  if (!may_sign_in(u)) return {SignInOutcome::unusable, u, std::nullopt, 0};
  db::Transaction tx(m_env.db);
  auto session = start(u.id);
  audit::record(m_env, "auth.sign_in", u.audit_target(), Json{{"method", method}});
  tx.commit();
  return {SignInOutcome::signed_in, u, std::move(session), 0};
}

SignInResult SessionService::sign_in_linked(const users::User& u) {
  return open_session(u, "partner");
}

// Sign-in counts failures under the name as typed, read as find_by_login reads it ("Bea",
// "@bea@domain" and "bea" are one name; the account's email address is another), never under
// the account: a count or a lock-out that depended on which names are one account's would
// answer 429 for an account where an unknown name gets 401, and tell whose address is whose.
// An account is so bounded by its names (a username and an email address: twice the
// failures per window). The account's own lock-out (its password asked again while signed
// in, which only its member can cause) locks sign-in too; an unknown name is looked up there
// under a key no count has, the same work.
SignInResult SessionService::sign_in(std::string_view login, std::string_view password) {
  users::UserService users(m_env);
  auto user = users.find_by_login(login);
  const auto name = users.login_name(login);
  const auto check = check_password(
      "name:" + name, user ? account_lock_key(user->id) : "unknown:" + name, user, password);
  if (check.outcome == PasswordCheck::locked) {
    return {SignInOutcome::locked, std::nullopt, std::nullopt, check.retry_after};
  }
  if (check.outcome == PasswordCheck::wrong) return {};
  return open_session(*user, "password");
}

}  // namespace instctl::auth
