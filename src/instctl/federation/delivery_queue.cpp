#include "instctl/federation/delivery_queue.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

namespace {
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}
}  // namespace

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
  std::vector<std::string> inboxes;
  if (!ids.empty()) {
    auto st = m_env.db.prepare(fmt::format(
        "SELECT coalesce(shared_inbox_url, inbox_url) FROM accounts WHERE domain <> '' AND "
        "coalesce(shared_inbox_url, inbox_url) IS NOT NULL AND id IN ({})",
        placeholders(ids.size())));
    for (std::size_t i = 0; i < ids.size(); ++i) st->bind(static_cast<int>(i + 1), ids[i]);
    while (st->step()) inboxes.push_back(st->get_text(0));
  }
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
  std::vector<std::string> inboxes;
  auto st = m_env.db.prepare(
      "SELECT DISTINCT coalesce(a.shared_inbox_url, a.inbox_url) FROM follows f "
      "JOIN accounts a ON a.id = f.follower_id WHERE f.followed_id = ? AND f.state = 'accepted' "
      "AND a.domain <> '' AND coalesce(a.shared_inbox_url, a.inbox_url) IS NOT NULL "
      "ORDER BY 1");
  st->bind_all(local_id);
  while (st->step()) inboxes.push_back(st->get_text(0));
  return enqueue(activity, sender, inboxes);
}

}  // namespace instctl::federation
