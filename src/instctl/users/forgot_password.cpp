#include "instctl/users/forgot_password.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/account_mails.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// The local account `login` names: an address, or a username with or without its '@'.
std::optional<User> named(AccountStore& store, std::string_view login) {
  auto name = trimmed(login);
  if (name.size() > 320) return std::nullopt;
  if (!name.empty() && name.front() == '@') name.erase(0, 1);
  if (name.find('@') != std::string::npos) return store.local_by_email(name);
  return store.local_by_username(name);
}

bool may_reset(const User& u) {
  return u.is_local() && u.email && (u.status == Status::active || u.status == Status::silenced);
}

}  // namespace

std::string ForgotPassword::key(std::string_view login) {
  AccountStore store(m_env.db);
  if (const auto u = named(store, login)) return fmt::format("account:{}", u->id);
  return "login:" + util::to_lower(trimmed(login)).substr(0, 320);
}

void ForgotPassword::mail_reset_link(std::string_view login) {
  mail::MailQueue queue(m_env);
  const std::string token = crypto::random_token();
  const auto token_hash = crypto::sha256_hex(token);
  db::Transaction tx(m_env.db);
  AccountStore store(m_env.db);
  const auto u = named(store, login);
  if (!u || !may_reset(*u) || !queue.enabled()) return;
  const auto expires_at = m_env.clock.now() + k_reset_link_validity;
  store.set_reset_token(u->id, token_hash, expires_at);
  const auto url = UserService(m_env).reset_url(token);
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
