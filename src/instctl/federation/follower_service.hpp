#pragma once

// A local user's remote followers, and the decisions on pending follows (a user who approves
// followers manually): `users followers` and `users follow-requests approve|reject`.
//
//   FollowerService svc(env);
//   svc.list("mona", FollowerService::Which::pending);
//   svc.decide("mona", "pat@remote.example", Decision::approve);  // queues a signed Accept

#include <string_view>
#include <vector>

#include "instctl/core/env.hpp"
#include "instctl/core/json.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/users/user.hpp"

namespace instctl::federation {

struct Follower {
  users::User account;  // the remote follower
  Follow follow;
};

// {account, actor_uri, state, created_at}: the one place naming a follower's fields.
Json to_json(const Follower& f);

class FollowerService {
 public:
  enum class Which { all, pending };
  enum class Decision { approve, reject };

  explicit FollowerService(Env& env) : m_env(env) {}

  // Oldest first. not_found for an unknown user.
  std::vector<Follower> list(std::string_view user, Which which);
  // ACCOUNT: user@domain, @user@domain or the follower's actor URL. Approving queues a signed
  // Accept; rejecting removes the follow and queues a Reject. Audited in the same transaction.
  // not_found (exit 3) for an unknown user, account or request; conflict (exit 4) when the
  // follow was accepted already.
  Follower decide(std::string_view user, std::string_view account, Decision decision);
  // Approves every pending follow of `local` (who stopped approving followers manually), each
  // with its Accept. Call inside the caller's transaction. Returns how many.
  std::size_t approve_all(const users::User& local, const std::string& public_url);

 private:
  users::User follower_account(std::string_view text);
  Env& m_env;
};

}  // namespace instctl::federation
