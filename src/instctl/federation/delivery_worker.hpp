#pragma once

// Delivers queued activities: claims a due job, signs it as its sender, POSTs it, and records
// the outcome. Used by `federation deliver` and by `serve`'s background worker.
//   2xx          delivered
//   410 Gone     the recipient is gone: its follows are removed, the job is dead
//   other 4xx    (except 401, 408, 429) refused for good: dead
//   otherwise    retried by the one retry rule (core/retry.hpp: exponential backoff and
//                jitter, 1 min, 2 min, 4 min ... at most 6 h between tries, each up to 25 %
//                later), dead after about 3 days
// Suspended (or not allowed) domains are never contacted: their jobs are dropped (dead).

#include <cstdint>
#include <functional>
#include <string>

#include "instctl/core/json.hpp"
#include "instctl/core/retry.hpp"
#include "instctl/db/env.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

struct DeliveryJob;

struct DeliverReport {
  std::size_t delivered = 0, retrying = 0, dead = 0, dropped = 0;
  std::size_t total() const { return delivered + retrying + dead + dropped; }
  Json to_json() const;
};

// How long a claimed job is held before another worker may take it over.
inline constexpr std::int64_t k_delivery_lease = 300;

class DeliveryWorker {
 public:
  // `worker_id` names this worker in leases (host:pid:random by default).
  DeliveryWorker(Env& env, net::HttpClient& client, std::string worker_id = "");

  // Delivers due jobs until none is due, or `limit` jobs (0: no limit) were handled.
  // `on_job` is told after each job (for progress bars).
  DeliverReport run(std::int64_t limit, const std::function<void(std::size_t)>& on_job = {});

 private:
  enum class Outcome { delivered, retrying, dead, dropped };
  Outcome deliver_one(const DeliveryJob& job);
  Env& m_env;
  net::HttpClient& m_client;
  std::string m_worker;
};

}  // namespace instctl::federation
