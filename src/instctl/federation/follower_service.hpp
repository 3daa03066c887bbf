#pragma once

// A local user's remote followers, the decisions on pending follows (a user who approves
// followers manually) and the removal of a follower: `users followers`, `users follow-requests
// approve|reject`, `users remove-follower`, and the same on a member's /settings.
//
//   FollowerService svc(env);
//   svc.list("mona", FollowerService::Which::pending);
//   svc.decide("mona", "pat@remote.example", Decision::approve);  // queues a signed Accept
//   svc.remove("mona", "pat@remote.example");                     // queues a signed Reject

#include <string_view>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
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
  // Removes a follower, as Mastodon's "remove from followers" does: the follow goes and a
  // Reject of its Follow is queued, so the follower's server drops it too. A pending request
  // is removed the same way (a rejection). Audited. not_found for an unknown user or account,
  // or an account that does not follow the user.
  Follower remove(std::string_view user, std::string_view account);

  // The same decisions for a signed-in member (/settings): `follower_id` is the follower's
  // account id, and only a follow of `local` itself is found (not_found otherwise).
  Follower decide(const users::User& local, std::int64_t follower_id, Decision decision);
  Follower remove(const users::User& local, std::int64_t follower_id);
  // Approves every pending follow of `local` (who stopped approving followers manually), each
  // with its Accept. Call inside the caller's transaction. Returns how many.
  std::size_t approve_all(const users::User& local, const std::string& public_url);

 private:
  enum class Answer { approve, reject, remove };
  users::User follower_account(std::string_view text);
  users::User follower_by_id(std::int64_t id);
  // The one path of every decision: checks the follow's state, changes it, queues the answer
  // and audits, in one transaction.
  Follower answer(const users::User& local, const users::User& follower, Answer answer);
  Env& m_env;
};

}  // namespace instctl::federation
