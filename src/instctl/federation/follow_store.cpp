#include "instctl/federation/follow_store.hpp"

namespace instctl::federation {

namespace {

const char* to_sql(FollowState s) { return s == FollowState::pending ? "pending" : "accepted"; }

}  // namespace

std::optional<Follow> FollowStore::find(std::int64_t follower_id, std::int64_t followed_id) {
  auto st = m_db.prepare(
      "SELECT id, state, coalesce(activity_uri, '') FROM follows "
      "WHERE follower_id = ? AND followed_id = ?");
  st->bind_all(follower_id, followed_id);
  if (!st->step()) return std::nullopt;
  Follow f{st->get_int(0), follower_id, followed_id,
           st->get_text(1) == "pending" ? FollowState::pending : FollowState::accepted,
           st->get_text(2)};
  st->reset();
  return f;
}

Follow FollowStore::upsert(std::int64_t follower_id, std::int64_t followed_id, FollowState state,
                           const std::string& activity_uri, UnixTime now) {
  m_db.prepare(
        "INSERT INTO follows (follower_id, followed_id, state, activity_uri, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (follower_id, followed_id) "
        "DO UPDATE SET activity_uri = excluded.activity_uri")
      ->bind_all(follower_id, followed_id, to_sql(state), activity_uri, now)
      .run();
  return *find(follower_id, followed_id);
}

std::int64_t FollowStore::remove_by_activity(std::int64_t follower_id, const std::string& activity_uri) {
  m_db.prepare("DELETE FROM follows WHERE follower_id = ? AND activity_uri = ?")
      ->bind_all(follower_id, activity_uri)
      .run();
  return m_db.changes();
}

std::int64_t FollowStore::remove(std::int64_t follower_id, std::int64_t followed_id) {
  m_db.prepare("DELETE FROM follows WHERE follower_id = ? AND followed_id = ?")
      ->bind_all(follower_id, followed_id)
      .run();
  return m_db.changes();
}

std::int64_t FollowStore::remove_all_of(std::int64_t account_id) {
  m_db.prepare("DELETE FROM follows WHERE follower_id = ? OR followed_id = ?")
      ->bind_all(account_id, account_id)
      .run();
  return m_db.changes();
}

}  // namespace instctl::federation
