#include "instctl/suggestions/suggestion_service.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/suggestions/suggestion_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/time.hpp"

namespace instctl::suggestions {

namespace {

void require_suggestable(const users::User& u) {
  if (u.status == users::Status::active) return;
  throw Error(ErrorKind::conflict,
              fmt::format("{} is {}: only active accounts can be suggested to newcomers",
                          u.username, users::to_string(u.status)));
}

}  // namespace

std::vector<Suggestion> SuggestionService::add(const std::vector<std::string>& refs) {
  users::UserService users(m_env);
  SuggestionStore store(m_env.db);
  db::Transaction tx(m_env.db);
  std::vector<Suggestion> out;
  for (const auto& ref : refs) {
    const auto u = users.resolve(ref);
    require_suggestable(u);
    if (store.exists(u.id)) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is suggested already; 'instctl suggestions list' shows them",
                              u.username));
    }
    store.insert(u.id, m_env.actor, m_env.clock.now());
    audit::record(m_env, "suggestions.add", u.audit_target());
    out.push_back({u, m_env.actor, m_env.clock.now()});
  }
  tx.commit();
  return out;
}

std::vector<Suggestion> SuggestionService::remove(const std::vector<std::string>& refs) {
  users::UserService users(m_env);
  SuggestionStore store(m_env.db);
  db::Transaction tx(m_env.db);
  std::vector<Suggestion> out;
  for (const auto& ref : refs) {
    const auto u = users.resolve(ref);
    if (!store.remove(u.id)) {
      throw Error(
          ErrorKind::not_found,
          fmt::format("{} is not suggested; 'instctl suggestions list' shows who is", u.username));
    }
    audit::record(m_env, "suggestions.remove", u.audit_target());
    out.push_back({u, m_env.actor, m_env.clock.now()});
  }
  tx.commit();
  return out;
}

std::vector<Suggestion> SuggestionService::list() {
  users::UserService users(m_env);
  std::vector<Suggestion> out;
  for (const auto& row : SuggestionStore(m_env.db).list()) {
    out.push_back(
        {users.resolve(fmt::format("id:{}", row.account_id)), row.created_by, row.created_at});
  }
  return out;
}

std::vector<users::User> SuggestionService::for_newcomer(std::int64_t account_id) {
  users::UserService users(m_env);
  std::vector<users::User> out;
  for (const auto id : SuggestionStore(m_env.db).active_for(account_id, k_newcomer_limit)) {
    out.push_back(users.resolve(fmt::format("id:{}", id)));
  }
  return out;
}

Json SuggestionService::to_json(const Suggestion& s) {
  const auto& u = s.user;
  return Json{{"username", u.username},
              {"handle", instance::handle(instance::load(m_env.db), u.username)},
              {"display_name", u.display_name},
              {"note", u.note},
              {"status", users::to_string(u.status)},
              {"suggested_by", s.created_by},
              {"suggested_at", util::format_time(s.created_at)}};
}

}  // namespace instctl::suggestions
