#include "instctl/federation/delivery_admin.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

namespace {
Error no_such_job(std::int64_t id) {
  return Error(
      ErrorKind::not_found,
      fmt::format("no queued delivery {} (see 'instctl federation queue --status all')", id));
}
}  // namespace

void DeliveryAdmin::retry(std::int64_t id) {
  DeliveryStore store(m_env.db);
  db::Transaction tx(m_env.db);
  const auto job = store.get(id);
  if (!job) throw no_such_job(id);
  if (!store.retry(id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict,
                fmt::format("delivery {} is {}: only pending and dead jobs can be retried", id,
                            job->state));
  }
  audit::record(m_env, "federation.queue_retry", fmt::format("delivery:{}", id), Json{{"jobs", 1}});
  tx.commit();
}

std::int64_t DeliveryAdmin::retry_dead() {
  DeliveryStore store(m_env.db);
  db::Transaction tx(m_env.db);
  const std::int64_t n = store.retry_dead(m_env.clock.now());
  audit::record(m_env, "federation.queue_retry", "deliveries:dead", Json{{"jobs", n}});
  tx.commit();
  return n;
}

DeliveryJob DeliveryAdmin::drop(std::int64_t id) {
  DeliveryStore store(m_env.db);
  db::Transaction tx(m_env.db);
  const auto job = store.get(id);
  if (!job || !store.drop(id)) throw no_such_job(id);
  audit::record(
      m_env, "federation.queue_drop", fmt::format("delivery:{}", id),
      Json{{"activity_id", job->activity_id}, {"inbox", job->inbox_url}, {"state", job->state}});
  tx.commit();
  return *job;
}

}  // namespace instctl::federation
