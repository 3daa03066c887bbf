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
#include "instctl/metrics/instruments.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

namespace {

// A peer's last contact is written at most this often (seconds).
constexpr UnixTime k_contact_refresh = 60;

// The other fields (type, standard) are filled in as the request is read further.
InboxResult result(InboxOutcome o, std::string message = "") {
  InboxResult r;
  r.outcome = o;
  r.message = std::move(message);
  return r;
}

}  // namespace

const char* to_string(InboxOutcome o) {
  switch (o) {
    case InboxOutcome::accepted:
      return "accepted";
    case InboxOutcome::ignored:
      return "ignored";
    case InboxOutcome::bad_request:
      return "bad_request";
    case InboxOutcome::unauthorized:
      return "unauthorized";
    case InboxOutcome::forbidden:
      return "forbidden";
  }
  return "bad_request";
}

InboxService::InboxService(Env& env, net::HttpClient& client, instance::InstanceInfo site,
                           FlagSink& flags)
    : m_env(env), m_client(client), m_site(std::move(site)), m_flags(flags) {}

InboxResult InboxService::receive(const crypto::IncomingRequest& req) {
  auto step = begin(req);
  if (step.fetch_key_id.empty()) return step.result;
  const auto deadline = std::chrono::steady_clock::now() + k_fetch_time;
  return complete(req,
                  fetch_signing_key(m_client, step.fetch_key_id, fetch_signer(step.fetch_key_id),
                                    m_env.clock.now(), deadline));
}

InboxStep InboxService::begin(const crypto::IncomingRequest& req) { return run(req, nullptr); }

InboxResult InboxService::complete(const crypto::IncomingRequest& req, const KeyFetch& fetched) {
  return run(req, &fetched).result;
}

FetchSigner InboxService::fetch_signer(const std::string& key_id) {
  const auto actor_keys = instance::instance_actor_keys(m_env.db);
  return FetchSigner{activitypub::key_id(activitypub::instance_actor_url(m_site.public_url)),
                     actor_keys.private_key_pem, plan_for(m_env.db, key_id)};
}

InboxStep InboxService::run(const crypto::IncomingRequest& req, const KeyFetch* fetched) {
  // The signature's structure, the Date and the Digest first: they cost no key and no I/O.
  const auto check = crypto::check_request(req, m_env.clock.now());
  if (!check.ok()) return {result(InboxOutcome::unauthorized, check.message), ""};
  const auto activity = parse_inbox_activity(req.body);
  if (!activity) return {result(InboxOutcome::bad_request, activity.error), ""};
  const std::string& type = activity->type;
  Origin sender;
  InboxStep step;
  InboxResult& r = step.result;
  r = authenticate(req, check.params, *activity, fetched, step.fetch_key_id, sender);
  r.type = type;
  r.standard = crypto::to_string(check.params.standard);
  if (r.outcome != InboxOutcome::accepted || !step.fetch_key_id.empty()) return step;
  if (type == "Follow")
    r = on_follow(*activity, sender);
  else if (type == "Undo")
    r = on_undo(*activity, sender);
  else if (type == "Flag")
    r = on_flag(*activity);
  else if (type == "Delete")
    r = on_delete(*activity, sender);
  else if (type == "Update")
    r = on_update(*activity, sender);
  else
    r = result(InboxOutcome::ignored, fmt::format("{} activities are not handled", type));
  r.type = type;
  r.standard = crypto::to_string(check.params.standard);
  return step;
}

InboxResult InboxService::authenticate(const crypto::IncomingRequest& req,
                                       const crypto::SignatureParams& params,
                                       const InboxActivity& activity, const KeyFetch* fetched,
                                       std::string& fetch_key_id, Origin& sender) {
  const std::string& actor = activity.actor;
  const std::string& domain = activity.domain;
  const std::string key_domain = url_domain(params.key_id);
  const DomainPolicy policy(m_env.db);
  // The actor's host and the key's (the same one, usually: then asked once).
  for (const auto* d : {&domain, &key_domain}) {
    if (d == &key_domain && key_domain == domain) break;
    if (!d->empty() && policy.is_suspended(*d)) {
      return result(InboxOutcome::forbidden, fmt::format("{} is blocked by this instance", *d));
    }
  }
  if (key_domain != domain) {
    return result(InboxOutcome::unauthorized,
                  fmt::format("the key {} is not on the actor's host {}", params.key_id, domain));
  }
  auto key = InboxKeys(m_env.db).cached(params.key_id);
  const bool cached_ok = key && crypto::verify_request(req, params, key->pem).ok();
  if (!fetched) metrics::count_cache("inbox_key", cached_ok);
  if (!cached_ok) {
    if (!fetched) {  // the caller fetches it and calls complete()
      fetch_key_id = params.key_id;
      return result(InboxOutcome::unauthorized, "the key is being fetched");
    }
    const auto& got = fetched->key;
    if (!got) {
      // A deleted actor's key is gone with it; if we never knew it, there is nothing to delete.
      if (fetched->gone && activity.deletes_actor) return result(InboxOutcome::ignored, got.error);
      return result(InboxOutcome::unauthorized, got.error);
    }
    if (key && key->pem == got->pem) {  // the same key again: its verdict, which names the standard
      return result(InboxOutcome::unauthorized,
                    crypto::verify_request(req, params, key->pem).message);
    }
    const auto verified = crypto::verify_request(req, params, got->pem);
    if (!verified.ok()) return result(InboxOutcome::unauthorized, verified.message);
    key = *got;
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
  // A peer that signs with RFC 9421 takes it (federation/peer_signing.hpp).
  const bool rfc9421_news =
      params.standard == crypto::SignatureStandard::rfc9421 &&
      (!peer || !peer->rfc9421_signed_at || *peer->rfc9421_signed_at < now - k_contact_refresh);
  if (key->actor || contact_stale || rfc9421_news) {
    db::Transaction tx(m_env.db);
    if (key->actor) upsert_remote_account(m_env.db, *key->actor, domain, now);
    if (contact_stale) PeerStore(m_env.db).record_contact(domain, now);
    if (rfc9421_news) PeerStore(m_env.db).record_rfc9421_signed(domain, now);
    tx.commit();
  }
  const auto account = remote_account(m_env.db, actor);
  if (!account)
    return result(InboxOutcome::unauthorized, fmt::format("{} is not a known actor", actor));
  sender = Origin{account->id, actor, domain, account->inbox_url};
  return result(InboxOutcome::accepted);
}

std::optional<users::User> InboxService::local_account(const std::string& uri) {
  const std::string prefix = m_site.public_url + "/users/";
  if (uri.size() <= prefix.size() || uri.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  const std::string name = uri.substr(prefix.size());
  if (name.find_first_of("/?#") != std::string::npos) return std::nullopt;
  auto user = users::AccountStore(m_env.db).local_by_username(name);
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
  const auto state =
      user->manually_approves_followers ? FollowState::pending : FollowState::accepted;
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
  else if (!undo->embedded && removed == 0)
    user = local_account(undo->uri);
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
  if (m_flags.receive(*flag) == 0) {
    return result(InboxOutcome::ignored,
                  "the Flag names no local account, or reports from its domain are rejected");
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
