#include "instctl/federation/delivery_queue.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::federation {

EnqueueResult DeliveryQueue::enqueue(const Json& activity, Sender sender,
                                     const std::vector<std::string>& inboxes) {
  if (!activity.is_object() || !activity.contains("id") || !activity["id"].is_string() ||
      !activity.contains("type") || !activity["type"].is_string()) {
    throw Error(ErrorKind::internal, "an activity to deliver needs an id and a type");
  }
  const std::string id = activity["id"].get<std::string>();
  const std::string body = activity.dump();
  const DomainPolicy policy(m_env.db);
  const auto now = m_env.clock.now();
  EnqueueResult result;
  auto insert = m_env.db.prepare(
      "INSERT INTO deliveries (activity_id, activity_type, activity, sender_account_id, "
      "signing_key_id, inbox_url, domain, next_attempt_at, give_up_at, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  for (const auto& inbox : inboxes) {
    const auto url = net::parse_url(inbox);
    if (!url) continue;
    const std::string domain = url->host_header();
    if (policy.is_suspended(domain)) {
      ++result.dropped;
      continue;
    }
    insert->bind_all(id, activity["type"].get<std::string>(), body, sender.account_id,
                     sender.retired_key_id, inbox,
                     domain, now, now + k_delivery_give_up_after, now, now);
    insert->run();
    result.queued += static_cast<std::size_t>(m_env.db.changes());
    insert->reset();
  }
  return result;
}

EnqueueResult DeliveryQueue::to_inbox(const Json& activity, Sender sender, const std::string& inbox_url) {
  return enqueue(activity, sender, {inbox_url});
}

EnqueueResult DeliveryQueue::to_accounts(const Json& activity, Sender sender,
                                         const std::vector<std::int64_t>& ids) {
  auto inboxes = users::AccountStore(m_env.db).remote_inboxes(ids);
  std::sort(inboxes.begin(), inboxes.end());
  inboxes.erase(std::unique(inboxes.begin(), inboxes.end()), inboxes.end());
  return enqueue(activity, sender, inboxes);
}

EnqueueResult DeliveryQueue::to_followers(const Json& activity, std::int64_t local_id) {
  return to_followers(activity, Sender::user(local_id));
}

EnqueueResult DeliveryQueue::to_followers(const Json& activity, Sender sender) {
  if (!sender.account_id) throw Error(ErrorKind::internal, "followers belong to a local account");
  const std::int64_t local_id = *sender.account_id;
  const auto inboxes = users::AccountStore(m_env.db).follower_inboxes(local_id);
  return enqueue(activity, sender, inboxes);
}

}  // namespace instctl::federation
