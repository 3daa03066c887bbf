#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "instctl/db/env.hpp"
#include "instctl/users/account_events.hpp"
#include "instctl/users/user.hpp"

namespace instctl::federation {

// Tell a local account's remote followers (queued; call inside the caller's transaction) that
// the actor is gone (after a deletion or a suspension), or what it looks like now (new keys, a
// new profile, or back from a suspension). Return how many deliveries were queued.
std::size_t announce_delete(Env& env, const users::User& u);
// `retired_key_id`: the replaced key that signs this Update (users rotate-keys).
std::size_t announce_update(Env& env, const users::User& u,
                            std::optional<std::int64_t> retired_key_id = std::nullopt);

// What federation does when a local account changes (users::AccountEvents): a Delete or an
// Update to its followers; the waiting follow requests accepted when it stops approving them
// by hand, as on Mastodon.
class AccountAnnouncer final : public users::AccountEvents {
 public:
  void deleted(Env& env, const users::User& u, Json& details) override;
  std::size_t changed(Env& env, const users::User& u,
                      std::optional<std::int64_t> retired_key_id) override;
  std::int64_t follows_unlocked(Env& env, const users::User& before) override;
};

}  // namespace instctl::federation
