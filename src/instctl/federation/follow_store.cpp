#include "instctl/federation/follow_store.hpp"

#include <fmt/format.h>

namespace instctl::federation {

namespace {

const char* to_sql(FollowState s) { return s == FollowState::pending ? "pending" : "accepted"; }

constexpr const char* k_columns =
    "id, follower_id, followed_id, state, coalesce(activity_uri, ''), created_at";

Follow read_follow(const db::Statement& st) {
  return Follow{
      st.get_int(0),  st.get_int(1),
      st.get_int(2),  st.get_text(3) == "pending" ? FollowState::pending : FollowState::accepted,
      st.get_text(4), st.get_int(5)};
}

}  // namespace

std::optional<Follow> FollowStore::find(std::int64_t follower_id, std::int64_t followed_id) {
  auto st = m_db.prepare(
      fmt::format("SELECT {} FROM follows WHERE follower_id = ? AND followed_id = ?", k_columns));
  st->bind_all(follower_id, followed_id);
  if (!st->step()) return std::nullopt;
  Follow f = read_follow(*st);
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

std::int64_t FollowStore::remove_by_activity(std::int64_t follower_id,
                                             const std::string& activity_uri) {
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

std::int64_t FollowStore::remove_all_of_inbox(const std::string& inbox_url) {
  m_db.prepare(
          "DELETE FROM follows WHERE follower_id IN (SELECT id FROM accounts WHERE domain <> '' "
          "AND "
          "(inbox_url = ?1 OR shared_inbox_url = ?1)) OR followed_id IN (SELECT id FROM accounts "
          "WHERE domain <> '' AND (inbox_url = ?1 OR shared_inbox_url = ?1))")
      ->bind_all(inbox_url)
      .run();
  return m_db.changes();
}

std::vector<std::string> FollowStore::follower_inboxes(std::int64_t followed_id) {
  auto st = m_db.prepare(
      "SELECT DISTINCT coalesce(a.shared_inbox_url, a.inbox_url) FROM follows f "
      "JOIN accounts a ON a.id = f.follower_id WHERE f.followed_id = ? AND f.state = 'accepted' "
      "AND a.domain <> '' AND coalesce(a.shared_inbox_url, a.inbox_url) IS NOT NULL "
      "ORDER BY 1");
  st->bind_all(followed_id);
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

std::vector<Follow> FollowStore::of_followed(std::int64_t followed_id, bool pending_only) {
  auto st = m_db.prepare(
      fmt::format("SELECT {} FROM follows WHERE followed_id = ? AND (? = 0 OR state = 'pending') "
                  "ORDER BY created_at, id",
                  k_columns));
  st->bind_all(followed_id, pending_only);
  std::vector<Follow> out;
  while (st->step()) out.push_back(read_follow(*st));
  return out;
}

bool FollowStore::accept(std::int64_t follow_id) {
  m_db.prepare("UPDATE follows SET state = 'accepted' WHERE id = ? AND state = 'pending'")
      ->bind_all(follow_id)
      .run();
  return m_db.changes() == 1;
}

std::map<std::string, FollowStore::DomainFollows> FollowStore::by_remote_domain() {
  auto st = m_db.prepare(
      "SELECT domain, SUM(followers), SUM(follows) FROM ("
      "SELECT r.domain AS domain, 1 AS followers, 0 AS follows FROM follows f "
      "JOIN accounts r ON r.id = f.follower_id JOIN accounts l ON l.id = f.followed_id "
      "WHERE r.domain <> '' AND l.domain = '' "
      "UNION ALL SELECT r.domain AS domain, 0 AS followers, 1 AS follows FROM follows f "
      "JOIN accounts r ON r.id = f.followed_id JOIN accounts l ON l.id = f.follower_id "
      "WHERE r.domain <> '' AND l.domain = '') AS t GROUP BY domain");
  std::map<std::string, DomainFollows> out;
  while (st->step()) {
    auto& d = out[st->get_text(0)];
    st->read_from(1, d.followers, d.follows);
  }
  return out;
}

}  // namespace instctl::federation
