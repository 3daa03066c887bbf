#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/waitlist/entry.hpp"

namespace instctl::waitlist {

struct NewEntry {
  std::string email;
  std::optional<std::string> username;
  std::string reason;
  std::string source;
  std::int64_t priority = 0;
  std::optional<UnixTime> confirmed_at;           // nullopt: waits for its mailed link
  std::optional<std::string> confirm_token_hash;  // that link's token, hashed
};

// What a confirmation link's token finds.
enum class ConfirmState { unknown, usable, confirmed, expired };

// An entry just claimed for admission.
struct Claimed {
  std::int64_t id = 0;
  std::string email;
};

// SQL only; no rules. Queue order: priority (higher first), then time joined, then id.
class WaitlistStore {
 public:
  explicit WaitlistStore(db::Connection& db) : m_db(db) {}

  std::int64_t insert(const NewEntry& e, UnixTime now);
  std::optional<Entry> by_id(std::int64_t id);
  std::optional<Entry> by_email_key(std::string_view key);
  // In queue order, with positions for waiting entries; limit 0: all.
  std::vector<Entry> list(std::optional<EntryStatus> status, std::int64_t limit);
  // The first `limit` entries in line (waiting, confirmed), in queue order.
  std::vector<Entry> in_line(std::int64_t limit);

  // The entry whose link has this token hash, and what the link may do: `usable` until it is
  // used or the entry was made at or before `cutoff` (then `expired`).
  std::pair<ConfirmState, std::optional<Entry>> by_confirm_token(std::string_view token_hash,
                                                                 UnixTime cutoff);
  // Confirms the unconfirmed entry made after `cutoff` that this token hash belongs to, in one
  // statement; its id, or nothing when the link is not usable (used, expired, unknown).
  std::optional<std::int64_t> confirm(std::string_view token_hash, UnixTime now, UnixTime cutoff);
  // Deletes the waiting entries still unconfirmed that were made at or before `cutoff`;
  // their addresses. `email_key` limits it to one address.
  std::vector<std::string> purge_unconfirmed(UnixTime cutoff,
                                             std::optional<std::string> email_key = {});
  std::int64_t count_unconfirmed();
  // When entries joined the list, and when entries became accounts, since `since`.
  std::vector<UnixTime> joined_list_since(UnixTime since);
  std::vector<UnixTime> registered_since(UnixTime since);

  // Moves up to n confirmed waiting entries, the first in queue order, to invited, in one
  // statement.
  std::vector<Claimed> claim_next(std::int64_t n, UnixTime now);
  // Moves this entry to invited if it is waiting and confirmed.
  bool claim(std::int64_t id, UnixTime now);
  void set_invite(std::int64_t id, std::int64_t invite_id);
  // A waiting entry only.
  bool reject(std::int64_t id, const std::optional<std::string>& reason, UnixTime now);
  bool remove(std::int64_t id);
  // The entry that received this invite becomes joined.
  void mark_joined(std::int64_t invite_id, UnixTime now);
  std::map<std::string, std::int64_t> count_by_status();
  // Entries per day from day0 (db::daily_series): made, and joined.
  Json joins_per_day(UnixTime day0);
  Json registered_per_day(UnixTime day0);

 private:
  std::optional<Entry> one(const std::string& where, std::string_view arg, std::int64_t id);
  std::vector<Entry> list_where(std::optional<EntryStatus> status, std::int64_t limit,
                                bool in_line);
  db::Connection& m_db;
};

}  // namespace instctl::waitlist
