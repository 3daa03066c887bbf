#include "instctl/federation/delivery_store.hpp"

#include <fmt/format.h>

#include "instctl/db/dialect.hpp"
#include "instctl/federation/delivery_queue.hpp"
#include "instctl/util/time.hpp"

namespace instctl::federation {

namespace {
const char* const k_delivery_columns =
    "id, activity_id, activity_type, activity, sender_account_id, inbox_url, domain, state, "
    "attempts, next_attempt_at, give_up_at, last_status, last_error, created_at, signing_key_id";

DeliveryJob read_job(db::Statement& st) {
  DeliveryJob j;
  st.read_all(j.id, j.activity_id, j.activity_type, j.activity, j.sender_account_id, j.inbox_url,
              j.domain, j.state, j.attempts, j.next_attempt_at, j.give_up_at, j.last_status);
  j.last_error = st.get_opt_text(12).value_or("");
  j.created_at = st.get_int(13);
  j.signing_key_id = st.get_opt_int(14);
  return j;
}
}  // namespace

Json to_json(const DeliveryJob& j) {
  return Json{{"id", j.id},
              {"activity_id", j.activity_id},
              {"type", j.activity_type},
              {"inbox", j.inbox_url},
              {"domain", j.domain},
              {"state", j.state},
              {"attempts", j.attempts},
              {"next_attempt_at", j.state == "pending" || j.state == "delivering"
                                      ? Json(util::format_time(j.next_attempt_at))
                                      : Json(nullptr)},
              {"last_status", j.last_status ? Json(*j.last_status) : Json(nullptr)},
              {"last_error", j.last_error},
              {"created_at", util::format_time(j.created_at)}};
}

std::size_t DeliveryStore::insert(const NewDelivery& d, const std::vector<DeliveryTarget>& targets,
                                  UnixTime now) {
  if (targets.empty()) return 0;
  auto st = m_db.prepare(
      "INSERT INTO deliveries (activity_id, activity_type, activity, sender_account_id, "
      "signing_key_id, inbox_url, domain, next_attempt_at, give_up_at, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  std::size_t queued = 0;
  for (const auto& t : targets) {
    st->bind_all(d.activity_id, d.activity_type, d.activity, d.sender_account_id, d.signing_key_id,
                 t.inbox_url, t.domain, now, d.give_up_at, now, now);
    st->run();
    queued += static_cast<std::size_t>(m_db.changes());
    st->reset();
  }
  return queued;
}

std::optional<DeliveryJob> DeliveryStore::claim(const std::string& worker, UnixTime now,
                                                std::int64_t lease) {
  // A plain read first: an idle worker polling an empty queue must not take the write lock
  // every time (other writers would wait on it, and tools without a busy timeout fail).
  {
    auto due = m_db.prepare(
        "SELECT 1 FROM deliveries WHERE (state = 'pending' AND next_attempt_at <= ?) OR "
        "(state = 'delivering' AND lease_expires_at <= ?) LIMIT 1");
    due->bind_all(now, now);
    const bool any = due->step();
    due->reset();
    if (!any) return std::nullopt;
  }
  db::Transaction tx(m_db);  // BEGIN IMMEDIATE: one claimer at a time
  auto st = m_db.prepare(fmt::format(
      "UPDATE deliveries SET state = 'delivering', lease_owner = ?, lease_expires_at = ?, "
      "attempts = attempts + 1, updated_at = ? WHERE id = (SELECT id FROM deliveries WHERE "
      "(state = 'pending' AND next_attempt_at <= ?) OR (state = 'delivering' AND "
      "lease_expires_at <= ?) ORDER BY next_attempt_at, id LIMIT 1{}) RETURNING {}",
      db::skip_locked(m_db.dialect(), "deliveries"), k_delivery_columns));
  st->bind_all(worker, now + lease, now, now, now);
  std::optional<DeliveryJob> job;
  if (st->step()) job = read_job(*st);
  st->reset();
  tx.commit();
  return job;
}

bool DeliveryStore::mark_delivered(std::int64_t id, const std::string& worker, long status,
                                   UnixTime now) {
  m_db.prepare(
          "UPDATE deliveries SET state = 'delivered', last_status = ?, last_error = NULL, "
          "lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ? "
          "WHERE id = ? AND state = 'delivering' AND lease_owner = ?")
      ->bind_all(static_cast<std::int64_t>(status), now, now, id, worker)
      .run();
  return m_db.changes() == 1;
}

bool DeliveryStore::reschedule(std::int64_t id, const std::string& worker,
                               std::optional<long> status, const std::string& error, UnixTime next,
                               UnixTime now) {
  std::optional<std::int64_t> s;
  if (status) s = *status;
  m_db.prepare(
          "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_status = ?, "
          "last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? "
          "WHERE id = ? AND state = 'delivering' AND lease_owner = ?")
      ->bind_all(next, s, error, now, id, worker)
      .run();
  return m_db.changes() == 1;
}

bool DeliveryStore::mark_dead(std::int64_t id, const std::string& worker,
                              std::optional<long> status, const std::string& error, UnixTime now) {
  std::optional<std::int64_t> s;
  if (status) s = *status;
  m_db.prepare(
          "UPDATE deliveries SET state = 'dead', last_status = ?, last_error = ?, "
          "lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ? "
          "WHERE id = ? AND state = 'delivering' AND lease_owner = ?")
      ->bind_all(s, error, now, now, id, worker)
      .run();
  return m_db.changes() == 1;
}

std::optional<DeliveryJob> DeliveryStore::get(std::int64_t id) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM deliveries WHERE id = ?", k_delivery_columns));
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  return read_job(*st);
}

std::vector<DeliveryJob> DeliveryStore::list(QueueFilter filter, std::int64_t limit) {
  std::string where;
  if (filter == QueueFilter::pending) where = "WHERE state IN ('pending', 'delivering')";
  if (filter == QueueFilter::dead) where = "WHERE state = 'dead'";
  auto st = m_db.prepare(fmt::format("SELECT {} FROM deliveries {} ORDER BY id{}",
                                     k_delivery_columns, where, limit > 0 ? " LIMIT ?" : ""));
  if (limit > 0) st->bind_all(limit);
  std::vector<DeliveryJob> out;
  while (st->step()) out.push_back(read_job(*st));
  return out;
}

bool DeliveryStore::retry(std::int64_t id, UnixTime now) {
  m_db.prepare(
          "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, give_up_at = ?, "
          "lease_owner = NULL, lease_expires_at = NULL, finished_at = NULL, updated_at = ? "
          "WHERE id = ? AND state IN ('pending', 'dead')")
      ->bind_all(now, now + k_delivery_give_up_after, now, id)
      .run();
  return m_db.changes() == 1;
}

std::int64_t DeliveryStore::retry_dead(UnixTime now) {
  m_db.prepare(
          "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, give_up_at = ?, "
          "finished_at = NULL, updated_at = ? WHERE state = 'dead'")
      ->bind_all(now, now + k_delivery_give_up_after, now)
      .run();
  return m_db.changes();
}

bool DeliveryStore::drop(std::int64_t id) {
  m_db.prepare("DELETE FROM deliveries WHERE id = ?")->bind_all(id).run();
  return m_db.changes() == 1;
}

std::int64_t DeliveryStore::count(std::string_view state) {
  auto st = m_db.prepare("SELECT count(*) FROM deliveries WHERE state = ?");
  st->bind_all(state);
  st->step();
  return st->get_int(0);
}

std::map<std::string, std::int64_t> DeliveryStore::count_by_state() {
  std::map<std::string, std::int64_t> out{
      {"pending", 0}, {"delivering", 0}, {"delivered", 0}, {"dead", 0}};
  auto st = m_db.prepare("SELECT state, count(*) FROM deliveries GROUP BY state");
  while (st->step()) out[st->get_text(0)] = st->get_int(1);
  return out;
}

std::optional<UnixTime> DeliveryStore::oldest_queued() {
  auto st = m_db.prepare(
      "SELECT min(created_at) FROM deliveries WHERE state IN ('pending', 'delivering')");
  if (!st->step() || st->is_null(0)) return std::nullopt;
  return st->get_int(0);
}

namespace {
constexpr const char* k_failing = "state IN ('pending', 'delivering') AND last_error IS NOT NULL";
}

std::vector<DeliveryStore::FailingPeer> DeliveryStore::failing_peers(std::int64_t limit) {
  auto st = m_db.prepare(
      fmt::format("SELECT domain, count(*), min(created_at) AS since FROM deliveries WHERE {} "
                  "GROUP BY domain ORDER BY since, domain LIMIT ?",
                  k_failing));
  st->bind_all(limit);
  std::vector<FailingPeer> out;
  while (st->step()) {
    FailingPeer p;
    st->read_all(p.domain, p.jobs, p.since);
    out.push_back(std::move(p));
  }
  return out;
}

std::int64_t DeliveryStore::count_failing_peers() {
  auto st = m_db.prepare(
      fmt::format("SELECT count(DISTINCT domain) FROM deliveries WHERE {}", k_failing));
  st->step();
  return st->get_int(0);
}

void DeliveryStore::purge_delivered(UnixTime before) {
  m_db.prepare("DELETE FROM deliveries WHERE state = 'delivered' AND finished_at < ?")
      ->bind_all(before)
      .run();
  // A retired private key lives only while a delivery still to be made is signed with it
  // (pending, or claimed by a worker that may have died): a killed worker's job keeps its key.
  // Read first: there is seldom one, and an idle worker should not take the write lock.
  {
    auto any = m_db.prepare("SELECT 1 FROM retired_keys LIMIT 1");
    const bool found = any->step();
    any->reset();
    if (!found) return;
  }
  m_db.prepare(
          "DELETE FROM retired_keys WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE "
          "d.signing_key_id = retired_keys.id AND d.state IN ('pending', 'delivering'))")
      ->run();
}

}  // namespace instctl::federation
