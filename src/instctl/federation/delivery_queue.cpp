#include "instctl/federation/delivery_queue.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/error.hpp"
#include "instctl/federation/delivery_store.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::federation {

EnqueueResult DeliveryQueue::enqueue(const Json& activity, Sender sender,
                                     const std::vector<std::string>& inboxes) {
  if (!activity.is_object() || !activity.contains("id") || !activity["id"].is_string() ||
      !activity.contains("type") || !activity["type"].is_string()) {
    throw Error(ErrorKind::internal, "an activity to deliver needs an id and a type");
  }
  const auto now = m_env.clock.now();
  const NewDelivery job{activity["id"].get<std::string>(),
                        activity["type"].get<std::string>(),
                        activity.dump(),
                        sender.account_id,
                        sender.retired_key_id,
                        now + k_delivery_give_up_after};
  const DomainPolicy policy(m_env.db);
  EnqueueResult result;
  std::vector<DeliveryTarget> targets;
  for (const auto& inbox : inboxes) {
    const auto url = net::parse_url(inbox);
    if (!url) continue;
    std::string domain = url->host_header();
    if (policy.is_suspended(domain)) {
      ++result.dropped;
      continue;
    }
    targets.push_back({inbox, std::move(domain)});
  }
  result.queued = DeliveryStore(m_env.db).insert(job, targets, now);
  return result;
}

EnqueueResult DeliveryQueue::to_inbox(const Json& activity, Sender sender,
                                      const std::string& inbox_url) {
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
  return enqueue(activity, sender, FollowStore(m_env.db).follower_inboxes(*sender.account_id));
}

}  // namespace instctl::federation
