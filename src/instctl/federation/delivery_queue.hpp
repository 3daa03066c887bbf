#pragma once

// The outbound delivery queue: the one way any service sends an activity to other instances.
// Enqueueing writes rows only (no network), so do it inside your own transaction: the change
// and the activities announcing it land together or not at all.
//
//   federation::DeliveryQueue queue(env);
//   // a local user's activity to its remote followers (one delivery per shared inbox):
//   queue.to_followers(activitypub::delete_actor(actor_url), user.id);
//   // an instance-level activity (Flag) to a remote account's instance, signed by /actor:
//   queue.to_accounts(flag, Sender::instance_actor(), {target_account_id});
//   // a reply to one inbox (Accept of a Follow), signed by the local user:
//   queue.to_inbox(accept, Sender::user(user.id), follower_inbox_url);
//
// Every activity needs an "id" (an activity and an inbox make a job only once). Inboxes on
// suspended or (in allowlist mode) not-allowed domains are dropped, and counted in the result.
// `federation deliver` and `serve` deliver the jobs (see DeliveryWorker).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/core/retry.hpp"
#include "instctl/db/env.hpp"

namespace instctl::federation {

// Who signs a delivery: a local account, or the instance actor (/actor). `retired_key_id`
// names the replaced key (retired_keys) that signs instead of the account's current one: the
// Update announcing a rotated key is signed with the key peers still hold.
struct Sender {
  std::optional<std::int64_t> account_id;
  std::optional<std::int64_t> retired_key_id;
  static Sender user(std::int64_t id) { return Sender{id, std::nullopt}; }
  static Sender user_with_retired_key(std::int64_t id, std::int64_t key_id) {
    return Sender{id, key_id};
  }
  static Sender instance_actor() { return Sender{std::nullopt, std::nullopt}; }
};

struct EnqueueResult {
  std::size_t queued = 0;   // new jobs
  std::size_t dropped = 0;  // inboxes refused by policy
};

// How long a failing delivery is retried.
inline constexpr std::int64_t k_delivery_give_up_after = k_retry_give_up_after;

class DeliveryQueue {
 public:
  explicit DeliveryQueue(Env& env) : m_env(env) {}

  EnqueueResult to_inbox(const Json& activity, Sender sender, const std::string& inbox_url);
  // Each account's shared inbox when it has one, else its own inbox; duplicates merged.
  EnqueueResult to_accounts(const Json& activity, Sender sender,
                            const std::vector<std::int64_t>& remote_account_ids);
  // The remote followers (accepted follows) of a local account; `sender` is that account
  // (Sender::user or Sender::user_with_retired_key).
  EnqueueResult to_followers(const Json& activity, std::int64_t local_account_id);
  EnqueueResult to_followers(const Json& activity, Sender sender);

 private:
  EnqueueResult enqueue(const Json& activity, Sender sender,
                        const std::vector<std::string>& inboxes);
  Env& m_env;
};

}  // namespace instctl::federation
