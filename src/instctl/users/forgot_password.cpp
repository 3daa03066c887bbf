#include "instctl/users/forgot_password.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/account_mails.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::users {

namespace {

bool may_reset(const User& u) {
  return u.is_local() && u.email && (u.status == Status::active || u.status == Status::silenced);
}

}  // namespace

std::string ForgotPassword::key(std::string_view login) {
  UserService users(m_env);
  if (const auto u = users.find_by_login(login)) return fmt::format("account:{}", u->id);
  return "login:" + users.login_name(login).substr(0, 320);
}

void ForgotPassword::mail_reset_link(std::string_view login) {
  mail::MailQueue queue(m_env);
  const std::string token = crypto::random_token();
  const auto token_hash = crypto::sha256_hex(token);
  db::Transaction tx(m_env.db);
  AccountStore store(m_env.db);
  UserService users(m_env);
  const auto u = users.find_by_login(login);
  if (!u || !may_reset(*u) || !queue.enabled()) return;
  const auto expires_at = m_env.clock.now() + k_reset_link_validity;
  store.set_reset_token(u->id, token_hash, expires_at);
  const auto url = users.reset_url(token);
  queue.enqueue(mail::MailKind::password_reset, *u->email,
                users::reset_message(mail::load_site(m_env.db), *u, url, expires_at));
  audit::record(m_env, "users.reset_password", u->audit_target(), Json{{"method", "mail"}});
  tx.commit();
}

std::chrono::steady_clock::time_point ForgotPassword::request(
    std::string_view login, bool may_mail, std::chrono::steady_clock::time_point began) {
  if (may_mail) mail_reset_link(login);
  return began + k_forgot_answer_floor;
}

}  // namespace instctl::users
