#include "instctl/federation/delivery_worker.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/retry.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/federation/delivery_store.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/federation/peer_signing.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::federation {

namespace {

std::string default_worker_id() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}:{}", host, ::getpid(), crypto::random_token(6));
}

bool permanent_failure(long status) {
  return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
}

struct SigningKey {
  std::string key_id;
  std::string private_pem;
};

SigningKey signing_key(Env& env, const DeliveryJob& job) {
  const auto& account_id = job.sender_account_id;
  if (!account_id) {
    const auto info = instance::load(env.db);
    return {info.public_url + "/actor#main-key",
            instance::instance_actor_keys(env.db).private_key_pem};
  }
  users::UserService users(env);
  const auto user = users.resolve(fmt::format("id:{}", *account_id));
  const auto key_id = users.actor_url(user) + "#main-key";
  // A job naming a retired key (the Update announcing a rotation) is signed with it while it
  // is kept; a dead job retried after the key was purged falls back to the current key.
  if (job.signing_key_id) {
    if (auto pem =
            users::AccountStore(env.db).retired_private_key(*account_id, *job.signing_key_id)) {
      return {key_id, *pem};
    }
  }
  return {key_id, users.ensure_keys(*account_id).private_pem};
}

}  // namespace

Json DeliverReport::to_json() const {
  return Json{
      {"delivered", delivered}, {"retrying", retrying}, {"dead", dead}, {"dropped", dropped}};
}

DeliveryWorker::DeliveryWorker(Env& env, net::HttpClient& client, std::string worker_id)
    : m_env(env), m_client(client), m_worker(worker_id.empty() ? default_worker_id() : worker_id) {}

DeliverReport DeliveryWorker::run(std::int64_t limit,
                                  const std::function<void(std::size_t)>& on_job) {
  DeliverReport report;
  DeliveryStore store(m_env.db);
  while (limit <= 0 || static_cast<std::int64_t>(report.total()) < limit) {
    const auto job = store.claim(m_worker, m_env.clock.now(), k_delivery_lease);
    if (!job) break;
    switch (deliver_one(*job)) {
      case Outcome::delivered:
        ++report.delivered;
        metrics::count_delivery("delivered");
        break;
      case Outcome::retrying:
        ++report.retrying;
        metrics::count_delivery("retrying");
        break;
      case Outcome::dead:
        ++report.dead;
        metrics::count_delivery("dead");
        break;
      case Outcome::dropped:
        ++report.dropped;
        metrics::count_delivery("dropped");
        break;
    }
    if (on_job) on_job(report.total());
  }
  // After the jobs, so a retired key goes as soon as its last delivery is done.
  store.purge_delivered(m_env.clock.now() - 7 * 86400);
  return report;
}

DeliveryWorker::Outcome DeliveryWorker::deliver_one(const DeliveryJob& job) {
  DeliveryStore store(m_env.db);
  PeerStore peers(m_env.db);
  const auto now = m_env.clock.now();
  if (DomainPolicy(m_env.db).is_suspended(job.domain)) {
    store.mark_dead(job.id, m_worker, std::nullopt,
                    fmt::format("dropped: {} is suspended by federation policy", job.domain), now);
    return Outcome::dropped;
  }
  std::optional<long> status;
  std::string error;
  try {
    const auto url = net::parse_url(job.inbox_url);
    if (!url)
      throw Error(ErrorKind::remote, fmt::format("'{}' is not an http(s) URL", job.inbox_url));
    const auto key = signing_key(m_env, job);
    net::HttpRequest req;
    req.method = "POST";
    req.url = job.inbox_url;
    req.body = job.activity;
    req.follow_redirects = false;
    req.headers = {{"Host", url->host_header()},
                   {"Content-Type", net::k_content_type_activity},
                   {"Accept", net::k_accept_activity}};
    const auto res = send_signed(m_env.db, m_client, req, {key.key_id, key.private_pem}, now);
    status = res.status;
    if (res.status >= 200 && res.status < 300) {
      db::Transaction tx(m_env.db);
      store.mark_delivered(job.id, m_worker, res.status, m_env.clock.now());
      peers.record_contact(job.domain, m_env.clock.now());
      tx.commit();
      return Outcome::delivered;
    }
    error = fmt::format("{} answered {}", job.inbox_url, res.status);
  } catch (const Error& e) {
    error = e.what();
  }

  db::Transaction tx(m_env.db);
  const auto t = m_env.clock.now();
  peers.record_error(job.domain, error, t);
  Outcome outcome;
  if (status && *status == 410) {
    const auto removed = FollowStore(m_env.db).remove_all_of_inbox(job.inbox_url);
    store.mark_dead(job.id, m_worker, status,
                    fmt::format("410 Gone: the recipient is gone; {} follow(s) removed", removed),
                    t);
    audit::record(m_env, "federation.gone", "inbox:" + job.inbox_url,
                  Json{{"follows_removed", removed}});
    outcome = Outcome::dead;
  } else if (status && permanent_failure(*status)) {
    store.mark_dead(job.id, m_worker, status, error + " (not retried)", t);
    outcome = Outcome::dead;
  } else if (t >= job.give_up_at) {
    store.mark_dead(job.id, m_worker, status,
                    fmt::format("{} (gave up after {} attempts)", error, job.attempts), t);
    outcome = Outcome::dead;
  } else {
    const auto next = next_retry(job.attempts, t, job.give_up_at, crypto::random_fraction());
    store.reschedule(job.id, m_worker, status, error, next, t);
    outcome = Outcome::retrying;
  }
  tx.commit();
  return outcome;
}

}  // namespace instctl::federation
