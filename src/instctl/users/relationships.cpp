#include "instctl/users/relationships.hpp"

#include "instctl/activitypub/urls.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::users {

namespace {

std::vector<std::string> uris(db::Connection& db, std::int64_t id, AccountStore::Side side,
                              std::string_view state, const std::string& public_url,
                              std::int64_t limit, std::int64_t offset) {
  std::vector<std::string> out;
  for (const auto& r : AccountStore(db).follow_rows(id, side, state, limit, offset)) {
    if (r.actor_uri)
      out.push_back(*r.actor_uri);
    else if (r.domain.empty())
      out.push_back(activitypub::actor_url(public_url, r.username));
  }
  return out;
}

}  // namespace

std::vector<std::string> follower_uris(db::Connection& db, std::int64_t id,
                                       const std::string& public_url, std::int64_t limit,
                                       std::int64_t offset) {
  return uris(db, id, AccountStore::Side::followers, "accepted", public_url, limit, offset);
}

std::vector<std::string> following_uris(db::Connection& db, std::int64_t id,
                                        const std::string& public_url, std::int64_t limit,
                                        std::int64_t offset) {
  return uris(db, id, AccountStore::Side::following, "accepted", public_url, limit, offset);
}

std::vector<std::string> follow_request_uris(db::Connection& db, std::int64_t id,
                                             const std::string& public_url, std::int64_t limit,
                                             std::int64_t offset) {
  return uris(db, id, AccountStore::Side::followers, "pending", public_url, limit, offset);
}

}  // namespace instctl::users
