#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

// One activity on its way to one inbox.
struct DeliveryJob {
  std::int64_t id = 0;
  std::string activity_id;
  std::string activity_type;
  std::string activity;                           // JSON text, sent as is
  std::optional<std::int64_t> sender_account_id;  // none: the instance actor
  std::optional<std::int64_t> signing_key_id;     // a retired key of the sender (see Sender)
  std::string inbox_url;
  std::string domain;
  std::string state;  // pending, delivering, delivered, dead
  std::int64_t attempts = 0;
  UnixTime next_attempt_at = 0;
  UnixTime give_up_at = 0;
  std::optional<std::int64_t> last_status;
  std::string last_error;
  UnixTime created_at = 0;
};

// id, activity_id, type, inbox, domain, state, attempts, next_attempt_at, last_status,
// last_error, created_at.
Json to_json(const DeliveryJob& j);

enum class QueueFilter { pending, dead, all };

// One activity to queue, for any number of inboxes (DeliveryQueue::enqueue).
struct NewDelivery {
  std::string activity_id;
  std::string activity_type;
  std::string activity;                           // JSON text
  std::optional<std::int64_t> sender_account_id;  // none: the instance actor
  std::optional<std::int64_t> signing_key_id;     // a retired key of the sender
  UnixTime give_up_at = 0;
};

// Where one job goes: the inbox and its domain (the URL's host, as policies name it).
struct DeliveryTarget {
  std::string inbox_url;
  std::string domain;
};

// SQL of the deliveries table. Claims are BEGIN IMMEDIATE transactions, so two workers (the
// cron command and serve, or two of either) never hold the same job; a claim is a lease, and a
// job whose worker died is claimable again once the lease has run out.
class DeliveryStore {
 public:
  explicit DeliveryStore(db::Connection& db) : m_db(db) {}

  // Queues `d` for each target, due now; a target that has the activity already is skipped
  // (a redelivered enqueue). Returns the jobs queued.
  std::size_t insert(const NewDelivery& d, const std::vector<DeliveryTarget>& targets,
                     UnixTime now);

  // The next due job (pending and due, or with an expired lease), leased to `worker` until
  // now + lease; its attempts count goes up by one.
  std::optional<DeliveryJob> claim(const std::string& worker, UnixTime now, std::int64_t lease);
  // Each changes the job only while `worker` still holds it; false otherwise.
  bool mark_delivered(std::int64_t id, const std::string& worker, long status, UnixTime now);
  bool reschedule(std::int64_t id, const std::string& worker, std::optional<long> status,
                  const std::string& error, UnixTime next, UnixTime now);
  bool mark_dead(std::int64_t id, const std::string& worker, std::optional<long> status,
                 const std::string& error, UnixTime now);

  std::optional<DeliveryJob> get(std::int64_t id);
  std::vector<DeliveryJob> list(QueueFilter filter, std::int64_t limit);
  // Back to pending, due now, with a fresh retry window. Returns the jobs changed.
  bool retry(std::int64_t id, UnixTime now);
  std::int64_t retry_dead(UnixTime now);
  bool drop(std::int64_t id);
  std::int64_t count(std::string_view state);
  // Jobs per state, every state named (0 when none).
  std::map<std::string, std::int64_t> count_by_state();
  // When the oldest job still to deliver (pending or delivering) was queued.
  std::optional<UnixTime> oldest_queued();
  // Peers with jobs still to deliver whose last attempt failed: the `limit` failing longest
  // (since the oldest such job was queued), and how many there are in all.
  struct FailingPeer {
    std::string domain;
    std::int64_t jobs = 0;
    UnixTime since = 0;
  };
  std::vector<FailingPeer> failing_peers(std::int64_t limit);
  std::int64_t count_failing_peers();
  // Delivered jobs are kept a week for `federation queue --status all`, then removed; a
  // retired key goes once no pending or claimed job is signed with it.
  void purge_delivered(UnixTime before);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::federation
