#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/invites/invite.hpp"

namespace instctl::invites {

struct NewInvite {
  std::string code;
  std::int64_t max_uses = 1;
  std::optional<UnixTime> expires_at;
  std::string note;
  std::string message;
  std::optional<std::string> email;
  std::optional<std::string> username;
  std::vector<std::int64_t> autofollow_ids;  // in order, no repeats
  std::optional<std::int64_t> waitlist_id;
  std::string created_by;
};

// SQL only; no rules.
class InviteStore {
 public:
  explicit InviteStore(db::Connection& db) : m_db(db) {}

  std::int64_t insert(const NewInvite& inv, UnixTime now);
  std::optional<Invite> by_code(std::string_view code);
  std::optional<Invite> by_id(std::int64_t id);
  // Newest first; no status: every invite. limit 0: all.
  std::vector<Invite> list(std::optional<InviteStatus> status, UnixTime now, std::int64_t limit);
  std::int64_t count(InviteStatus status, UnixTime now);
  // The invites made under this actor name (INSTCTL_ACTOR, a member's username), oldest first.
  std::vector<Invite> created_by(std::string_view name);

  // Claims one use of a usable invite in one statement: the guard and the increment cannot be
  // separated by another writer. The invite's id, or nothing when it is not usable by
  // `email_key` at `now` (unknown, revoked, used up, expired, or bound to another address).
  std::optional<std::int64_t> claim_use(std::string_view code, std::string_view email_key,
                                        UnixTime now);
  // Only an invite that is not revoked yet; false otherwise.
  bool revoke(std::int64_t id, UnixTime now);
  // The new account follows each of the invite's autofollow accounts (but deleted ones and
  // itself).
  void add_autofollows(std::int64_t invite_id, std::int64_t follower_id, UnixTime now);

 private:
  std::vector<Invite> query(const std::string& tail, std::optional<std::int64_t> a,
                            std::optional<std::int64_t> b);
  db::Connection& m_db;
};

}  // namespace instctl::invites
