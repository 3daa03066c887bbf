#include "instctl/auth/session_service.hpp"

#include "instctl/audit/audit_log.hpp"
#include "instctl/auth/session_store.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::auth {

namespace {

// The lock-out's key: the account when the name is one, else the name as typed, so unknown
// names count and lock exactly as accounts do.
std::string login_key(const std::optional<users::User>& u, std::string_view login) {
  if (u) return "account:" + std::to_string(u->id);
  return "name:" + util::to_lower(util::trim(login));
}

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
                                                   const std::optional<users::User>& u,
                                                   std::string_view password) {
  const auto now = m_env.clock.now();
  SessionStore store(m_env.db);
  if (const auto f = store.failures(key); f && f->locked_until > now) {
    return {PasswordCheck::locked, f->locked_until - now};
  }
  if (!users::UserService(m_env).password_matches(u, password)) {
    if (count_failure(key, now)) return {PasswordCheck::locked, k_lock_out};
    return {};
  }
  store.clear_failures(key);
  return {PasswordCheck::right, 0};
}

PasswordCheckResult SessionService::confirm_password(const users::User& u,
                                                     std::string_view password) {
  return check_password(login_key(u, ""), u, password);
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

SignInResult SessionService::sign_in(std::string_view login, std::string_view password) {
  auto user = users::UserService(m_env).find_by_login(login);
  const auto check = check_password(login_key(user, login), user, password);
  if (check.outcome == PasswordCheck::locked) {
    return {SignInOutcome::locked, std::nullopt, std::nullopt, check.retry_after};
  }
  if (check.outcome == PasswordCheck::wrong) return {};
  return open_session(*user, "password");
}

}  // namespace instctl::auth
