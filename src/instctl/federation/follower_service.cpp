#include "instctl/federation/follower_service.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/follow_answers.hpp"
#include "instctl/federation/remote_accounts.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::federation {

namespace {
// The public face of a follower form's refusal: the account is not (any more) one of the
// member's followers or requests.
constexpr const char* k_not_a_follower =
    "The account does not follow you and has no follow request waiting for you: it may have "
    "been removed or rejected already, or it withdrew its request. Your settings show who "
    "follows you now.";
}  // namespace

Json to_json(const Follower& f) {
  return Json{{"account", f.account.acct()},
              {"actor_uri", f.account.actor_uri.value_or("")},
              {"state", f.follow.state == FollowState::pending ? "pending" : "accepted"},
              {"created_at", util::format_time(f.follow.created_at)}};
}

std::vector<Follower> FollowerService::list(std::string_view user, Which which) {
  const auto local = users::UserService(m_env).resolve(user);
  users::AccountStore accounts(m_env.db);
  std::vector<Follower> out;
  for (auto& follow : FollowStore(m_env.db).of_followed(local.id, which == Which::pending)) {
    if (auto account = accounts.by_id(follow.follower_id)) {
      out.push_back({std::move(*account), std::move(follow)});
    }
  }
  return out;
}

users::User FollowerService::follower_account(std::string_view text) {
  const std::string t(util::trim(text));
  if (t.rfind("https://", 0) == 0 || t.rfind("http://", 0) == 0) {
    const auto ref = remote_account(m_env.db, t);
    auto account = ref ? users::AccountStore(m_env.db).by_id(ref->id) : std::nullopt;
    if (!account) {
      throw Error(ErrorKind::not_found,
                  fmt::format("no known account has the actor URL {}: 'instctl users followers "
                              "USER --pending' lists the follow requests",
                              t));
    }
    return *account;
  }
  auto account = users::UserService(m_env).resolve_account(t);
  if (account.is_local()) {
    throw Error(ErrorKind::usage,
                fmt::format("{} is a local user: follow requests come from remote accounts "
                            "(user@domain or an actor URL)",
                            t));
  }
  return account;
}

namespace {

FollowToAnswer answer_to(const users::User& follower, const Follow& follow) {
  return {follow.activity_uri, follower.actor_uri.value_or(""),
          follower.inbox_url.value_or(follower.shared_inbox_url.value_or(""))};
}

}  // namespace

std::size_t FollowerService::approve_all(const users::User& local, const std::string& public_url) {
  FollowStore follows(m_env.db);
  users::AccountStore accounts(m_env.db);
  std::size_t n = 0;
  for (const auto& follow : follows.of_followed(local.id, true)) {
    const auto follower = accounts.by_id(follow.follower_id);
    if (!follower || !follows.accept(follow.id)) continue;
    queue_follow_answer(m_env, public_url, local, activitypub::FollowAnswer::accept,
                        answer_to(*follower, follow));
    ++n;
  }
  return n;
}

users::User FollowerService::follower_by_id(std::int64_t id) {
  auto account = users::AccountStore(m_env.db).by_id(id);
  if (!account || account->is_local()) {
    throw Error(ErrorKind::not_found,
                fmt::format("no remote account has the id {}: 'instctl users followers USER' "
                            "lists the followers",
                            id))
        .with_public(k_not_a_follower);
  }
  return *account;
}

Follower FollowerService::decide(std::string_view user, std::string_view account,
                                 Decision decision) {
  const auto local = users::UserService(m_env).resolve(user);
  return answer(local, follower_account(account),
                decision == Decision::approve ? Answer::approve : Answer::reject);
}

Follower FollowerService::decide(const users::User& local, std::int64_t follower_id,
                                 Decision decision) {
  return answer(local, follower_by_id(follower_id),
                decision == Decision::approve ? Answer::approve : Answer::reject);
}

Follower FollowerService::remove(std::string_view user, std::string_view account) {
  const auto local = users::UserService(m_env).resolve(user);
  return answer(local, follower_account(account), Answer::remove);
}

Follower FollowerService::remove(const users::User& local, std::int64_t follower_id) {
  return answer(local, follower_by_id(follower_id), Answer::remove);
}

Follower FollowerService::answer(const users::User& local, const users::User& follower,
                                 Answer answer) {
  const auto site = users::UserService(m_env).instance();
  db::Transaction tx(m_env.db);
  FollowStore follows(m_env.db);
  auto follow = follows.find(follower.id, local.id);
  if (!follow) {
    throw Error(ErrorKind::not_found,
                answer == Answer::remove
                    ? fmt::format("{} does not follow {}: 'instctl users followers {}' lists "
                                  "the followers",
                                  follower.acct(), local.username, local.username)
                    : fmt::format("{} has no follow request from {}: 'instctl users followers "
                                  "{} --pending' lists them",
                                  local.username, follower.acct(), local.username))
        .with_public(k_not_a_follower);
  }
  if (answer != Answer::remove && follow->state == FollowState::accepted) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} already follows {}", follower.acct(), local.username))
        .with_public(
            "The account follows you now. Your settings list it among your followers, where you "
            "can remove it.");
  }
  const FollowToAnswer to_answer = answer_to(follower, *follow);
  const bool approve = answer == Answer::approve;
  if (approve) {
    follows.accept(follow->id);
    follow->state = FollowState::accepted;
  } else {
    follows.remove(follower.id, local.id);
  }
  queue_follow_answer(
      m_env, site.public_url, local,
      approve ? activitypub::FollowAnswer::accept : activitypub::FollowAnswer::reject, to_answer);
  static constexpr const char* k_events[] = {"users.follow_approve", "users.follow_reject",
                                             "users.follower_remove"};
  audit::record(m_env, k_events[static_cast<int>(answer)], local.audit_target(),
                Json{{"follower", to_answer.follower_uri}});
  tx.commit();
  return {follower, *follow};
}

}  // namespace instctl::federation
