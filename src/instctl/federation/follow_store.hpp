#pragma once

// Follows that remote accounts make of local ones, as the inbox records them (SQL only).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

enum class FollowState { pending, accepted };

struct Follow {
  std::int64_t id = 0;
  std::int64_t follower_id = 0;
  std::int64_t followed_id = 0;
  FollowState state = FollowState::accepted;
  std::string activity_uri;
  UnixTime created_at = 0;
};

class FollowStore {
 public:
  explicit FollowStore(db::Connection& db) : m_db(db) {}

  std::optional<Follow> find(std::int64_t follower_id, std::int64_t followed_id);
  // Records the follow, or refreshes its activity URI when the pair exists already (a
  // repeated Follow keeps the state it had). Returns the row as stored.
  Follow upsert(std::int64_t follower_id, std::int64_t followed_id, FollowState state,
                const std::string& activity_uri, UnixTime now);
  // The follow a Follow activity made, by its URI and follower. Returns the rows removed.
  std::int64_t remove_by_activity(std::int64_t follower_id, const std::string& activity_uri);
  std::int64_t remove(std::int64_t follower_id, std::int64_t followed_id);
  // Every follow from or to the account (a deleted actor).
  std::int64_t remove_all_of(std::int64_t account_id);
  // Every follow from or to the remote accounts this inbox belongs to (it answered 410 Gone).
  std::int64_t remove_all_of_inbox(const std::string& inbox_url);
  // Where the accepted remote followers of a local account are reached: each one's shared
  // inbox, else its own, once each, sorted.
  std::vector<std::string> follower_inboxes(std::int64_t followed_id);
  // The follows of a local account, oldest first; only the pending ones when asked.
  std::vector<Follow> of_followed(std::int64_t followed_id, bool pending_only);
  // pending -> accepted. False when the follow was not pending (or is gone).
  bool accept(std::int64_t follow_id);

  // Follows between local accounts and remote ones, by the remote account's domain:
  // `followers` (remote accounts following local ones) and `follows` (the other way).
  struct DomainFollows {
    std::int64_t followers = 0;
    std::int64_t follows = 0;
  };
  std::map<std::string, DomainFollows> by_remote_domain();

 private:
  db::Connection& m_db;
};

}  // namespace instctl::federation
