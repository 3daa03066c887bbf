// UserService's answers about an account's password: the stored hash never leaves the users
// concept, so sign-in, the settings pages and the lock-out ask here.

#include "instctl/crypto/password.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::users {

std::optional<User> UserService::find_by_id(std::int64_t id) { return m_store.by_id(id); }

bool UserService::password_matches(const std::optional<User>& u, std::string_view password) {
  std::optional<std::string> stored;
  if (u) stored = m_store.password_hash(u->id);
  const bool match =
      crypto::verify_password(password, stored.value_or(crypto::dummy_password_hash()));
  return match && stored.has_value();
}

bool UserService::has_password(std::int64_t id) { return m_store.password_hash(id).has_value(); }

}  // namespace instctl::users
