#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::suggestions {

// A local account an admin features for newcomers.
struct Suggestion {
  users::User user;
  std::string created_by;
  UnixTime created_at = 0;
};

// How many suggestions a newcomer is shown at most.
inline constexpr std::int64_t k_newcomer_limit = 12;

// The rules about suggested accounts (instctl suggestions, the welcome page).
class SuggestionService {
 public:
  explicit SuggestionService(Env& env) : m_env(env) {}

  // All or nothing. Only active local users can be suggested: a remote account is not found
  // (as for every USER argument); a pending, suspended, silenced, disabled or deleted one is
  // refused (conflict), and so is one suggested already.
  std::vector<Suggestion> add(const std::vector<std::string>& refs);
  // All or nothing; not_found for a user who is not suggested.
  std::vector<Suggestion> remove(const std::vector<std::string>& refs);
  // Every suggestion, oldest first, whatever the account's status now.
  std::vector<Suggestion> list();
  // What a newcomer is shown: the suggested accounts active now, without the newcomer and
  // the accounts they follow already.
  std::vector<users::User> for_newcomer(std::int64_t account_id);

  // username, handle, display_name, note, status, suggested_by, suggested_at.
  Json to_json(const Suggestion& s);

 private:
  Env& m_env;
};

}  // namespace instctl::suggestions
