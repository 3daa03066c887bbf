#include "instctl/federation/inbox_service.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/follow_answers.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/federation/inbox_keys.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/federation/remote_accounts.hpp"
#include "instctl/reports/report_service.hpp"
#include "instctl/users/user_store.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

namespace {

// A peer's last contact is written at most this often (seconds).
constexpr UnixTime k_contact_refresh = 60;

InboxResult result(InboxOutcome o, std::string message = "") { return {o, std::move(message), ""}; }

}  // namespace

const char* to_string(InboxOutcome o) {
  switch (o) {
    case InboxOutcome::accepted: return "accepted";
    case InboxOutcome::ignored: return "ignored";
    case InboxOutcome::bad_request: return "bad_request";
    case InboxOutcome::unauthorized: return "unauthorized";
    case InboxOutcome::forbidden: return "forbidden";
  }
  return "bad_request";
}

InboxService::InboxService(Env& env, net::HttpClient& client, instance::InstanceInfo site)
    : m_env(env), m_client(client), m_site(std::move(site)) {}

InboxResult InboxService::receive(const crypto::IncomingRequest& req) {
  // The signature's structure, the Date and the Digest first: they cost no key and no I/O.
  const auto check = crypto::check_request(req, m_env.clock.now());
  if (!check.ok()) return result(InboxOutcome::unauthorized, check.message);
  const auto activity = parse_inbox_activity(req.body);
  if (!activity) return result(InboxOutcome::bad_request, activity.error);
  const std::string& type = activity->type;
  Origin sender;
  InboxResult r = authenticate(req, check.params, *activity, sender);
  r.type = type;
  if (r.outcome != InboxOutcome::accepted) return r;
  if (type == "Follow") r = on_follow(*activity, sender);
  else if (type == "Undo") r = on_undo(*activity, sender);
  else if (type == "Flag") r = on_flag(*activity);
  else if (type == "Delete") r = on_delete(*activity, sender);
  else if (type == "Update") r = on_update(*activity, sender);
  else r = result(InboxOutcome::ignored, fmt::format("{} activities are not handled", type));
  r.type = type;
  return r;
}

InboxResult InboxService::authenticate(const crypto::IncomingRequest& req,
                                       const crypto::SignatureParams& params,
                                       const InboxActivity& activity, Origin& sender) {
  const std::string& actor = activity.actor;
  const std::string& domain = activity.domain;
  const std::string key_domain = url_domain(params.key_id);
  const DomainPolicy policy(m_env.db);
  for (const auto& d : {domain, key_domain}) {
    if (!d.empty() && policy.is_suspended(d)) {
      return result(InboxOutcome::forbidden, fmt::format("{} is blocked by this instance", d));
    }
  }
  if (key_domain != domain) {
    return result(InboxOutcome::unauthorized,
                  fmt::format("the key {} is not on the actor's host {}", params.key_id, domain));
  }
  InboxKeys keys(m_env.db, m_client);
  auto key = keys.cached(params.key_id);
  const bool cached_ok = key && crypto::verify_request(req, params, key->pem).ok();
  if (!cached_ok) {
    const auto actor_keys = instance::instance_actor_keys(m_env.db);
    const FetchSigner signer{activitypub::key_id(activitypub::instance_actor_url(m_site.public_url)),
                             actor_keys.private_key_pem};
    bool gone = false;
    auto fetched = keys.fetch(params.key_id, signer, m_env.clock.now(), gone);
    if (!fetched) {
      // A deleted actor's key is gone with it; if we never knew it, there is nothing to delete.
      if (gone && activity.deletes_actor) return result(InboxOutcome::ignored, fetched.error);
      return result(InboxOutcome::unauthorized, fetched.error);
    }
    if (key && key->pem == fetched->pem) {
      return result(InboxOutcome::unauthorized,
                    fmt::format("the signature does not verify with the key {}", params.key_id));
    }
    const auto verified = crypto::verify_request(req, params, fetched->pem);
    if (!verified.ok()) return result(InboxOutcome::unauthorized, verified.message);
    key = *fetched;
  }
  if (key->owner != actor) {
    return result(InboxOutcome::unauthorized,
                  fmt::format("the key {} belongs to {}, not to the activity's actor {}",
                              params.key_id, key->owner, actor));
  }
  // Most requests come from known actors of peers seen a moment ago: they write nothing here.
  const auto now = m_env.clock.now();
  const auto peer = PeerStore(m_env.db).get(domain);
  const bool contact_stale =
      !peer || !peer->last_contact_at || *peer->last_contact_at < now - k_contact_refresh;
  if (key->actor || contact_stale) {
    db::Transaction tx(m_env.db);
    if (key->actor) upsert_remote_account(m_env.db, *key->actor, domain, now);
    if (contact_stale) PeerStore(m_env.db).record_contact(domain, now);
    tx.commit();
  }
  const auto account = remote_account(m_env.db, actor);
  if (!account) return result(InboxOutcome::unauthorized, fmt::format("{} is not a known actor", actor));
  sender = Origin{account->id, actor, domain, account->inbox_url};
  return result(InboxOutcome::accepted);
}

std::optional<users::User> InboxService::local_account(const std::string& uri) {
  const std::string prefix = m_site.public_url + "/users/";
  if (uri.size() <= prefix.size() || uri.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const std::string name = uri.substr(prefix.size());
  if (name.find_first_of("/?#") != std::string::npos) return std::nullopt;
  auto user = users::UserStore(m_env.db).local_by_username(name);
  if (!user || (user->status != users::Status::active && user->status != users::Status::silenced)) {
    return std::nullopt;
  }
  return user;
}

InboxResult InboxService::on_follow(const InboxActivity& activity, const Origin& sender) {
  const auto& id = activity.id;
  if (!id || id->empty()) return result(InboxOutcome::bad_request, "the Follow has no id");
  const auto& object = activity.object;
  const auto user = object ? local_account(*object) : std::nullopt;
  if (!user) return result(InboxOutcome::ignored, "the Follow names no account of this instance");
  // A redelivered Follow was recorded and answered the first time (its Accept is queued once).
  if (const auto known = FollowStore(m_env.db).find(sender.account_id, user->id);
      known && known->activity_uri == *id) {
    return result(InboxOutcome::accepted);
  }
  const auto state = user->manually_approves_followers ? FollowState::pending : FollowState::accepted;
  db::Transaction tx(m_env.db);
  const auto now = m_env.clock.now();
  const auto follow = FollowStore(m_env.db).upsert(sender.account_id, user->id, state, *id, now);
  if (follow.state == FollowState::accepted) {
    queue_follow_answer(m_env, m_site.public_url, *user, activitypub::FollowAnswer::accept,
                        {*id, sender.actor_uri, sender.inbox_url});
  }
  audit::record(m_env, "federation.follow", user->audit_target(),
                Json{{"follower", sender.actor_uri},
                     {"state", follow.state == FollowState::pending ? "pending" : "accepted"}});
  tx.commit();
  return result(InboxOutcome::accepted);
}

InboxResult InboxService::on_undo(const InboxActivity& activity, const Origin& sender) {
  const auto& undo = activity.undo;
  if (!undo) return result(InboxOutcome::bad_request, "the Undo names no object");
  if (undo->embedded && !undo->is_follow) {
    return result(InboxOutcome::ignored, "only Undo of a Follow is handled");
  }
  db::Transaction tx(m_env.db);
  FollowStore follows(m_env.db);
  auto removed = follows.remove_by_activity(sender.account_id, undo->uri);
  std::optional<users::User> user;
  if (undo->followed) user = local_account(*undo->followed);
  // Some servers undo a follow they never saw accepted by naming the followed actor itself.
  else if (!undo->embedded && removed == 0) user = local_account(undo->uri);
  if (removed == 0 && user) removed = follows.remove(sender.account_id, user->id);
  if (removed == 0) return result(InboxOutcome::ignored, "the Undo matches no follow");
  audit::record(m_env, "federation.unfollow", user ? user->audit_target() : "follow:" + undo->uri,
                Json{{"follower", sender.actor_uri}});
  tx.commit();
  return result(InboxOutcome::accepted);
}

InboxResult InboxService::on_flag(const InboxActivity& activity) {
  const auto& flag = activity.flag;
  if (!flag) return result(InboxOutcome::bad_request, "the Flag names no object");
  const auto made = reports::ReportService(m_env).receive_flag(*flag);
  if (made.empty()) {
    return result(InboxOutcome::ignored, "the Flag names no local account, or reports from its domain are rejected");
  }
  return result(InboxOutcome::accepted);
}

InboxResult InboxService::on_delete(const InboxActivity& activity, const Origin& sender) {
  if (!activity.deletes_actor) {
    return result(InboxOutcome::ignored, "only the Delete of an actor is handled");
  }
  db::Transaction tx(m_env.db);
  const auto removed = FollowStore(m_env.db).remove_all_of(sender.account_id);
  mark_remote_deleted(m_env.db, sender.account_id, m_env.clock.now());
  audit::record(m_env, "federation.actor_deleted", "actor:" + sender.actor_uri,
                Json{{"follows_removed", removed}});
  tx.commit();
  return result(InboxOutcome::accepted);
}

InboxResult InboxService::on_update(const InboxActivity& activity, const Origin& sender) {
  if (!activity.update) {
    return result(InboxOutcome::ignored, "only the Update of the sending actor is handled");
  }
  const auto& actor = activity.update->actor;
  if (!actor) return result(InboxOutcome::bad_request, actor.error);
  db::Transaction tx(m_env.db);
  upsert_remote_account(m_env.db, *actor, sender.domain, m_env.clock.now());
  audit::record(m_env, "federation.actor_updated", "actor:" + sender.actor_uri,
                Json{{"key_id", actor->key_id}});
  tx.commit();
  return result(InboxOutcome::accepted);
}

}  // namespace instctl::federation
