#include "instctl/users/relationships.hpp"

#include "instctl/activitypub/urls.hpp"

namespace instctl::users {

namespace {

std::vector<std::string> uris(db::Connection& db, const char* sql, std::int64_t id,
                              const std::string& public_url, std::int64_t limit,
                              std::int64_t offset) {
  auto st = db.prepare(sql);
  st->bind_all(id, limit, offset);
  std::vector<std::string> out;
  while (st->step()) {
    if (!st->is_null(2)) out.push_back(st->get_text(2));
    else if (st->get_text(1).empty()) out.push_back(activitypub::actor_url(public_url, st->get_text(0)));
  }
  return out;
}

}  // namespace

std::vector<std::string> follower_uris(db::Connection& db, std::int64_t id,
                                       const std::string& public_url, std::int64_t limit,
                                       std::int64_t offset) {
  return uris(db,
              "SELECT a.username, a.domain, a.actor_uri FROM follows f "
              "JOIN accounts a ON a.id = f.follower_id "
              "WHERE f.followed_id = ? AND f.state = 'accepted' ORDER BY f.id LIMIT ? OFFSET ?",
              id, public_url, limit, offset);
}

std::vector<std::string> following_uris(db::Connection& db, std::int64_t id,
                                        const std::string& public_url, std::int64_t limit,
                                        std::int64_t offset) {
  return uris(db,
              "SELECT a.username, a.domain, a.actor_uri FROM follows f "
              "JOIN accounts a ON a.id = f.followed_id "
              "WHERE f.follower_id = ? AND f.state = 'accepted' ORDER BY f.id LIMIT ? OFFSET ?",
              id, public_url, limit, offset);
}

std::vector<std::string> follow_request_uris(db::Connection& db, std::int64_t id,
                                             const std::string& public_url, std::int64_t limit,
                                             std::int64_t offset) {
  return uris(db,
              "SELECT a.username, a.domain, a.actor_uri FROM follows f "
              "JOIN accounts a ON a.id = f.follower_id "
              "WHERE f.followed_id = ? AND f.state = 'pending' ORDER BY f.id LIMIT ? OFFSET ?",
              id, public_url, limit, offset);
}

}  // namespace instctl::users
