#include "instctl/federation/lookup_service.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/nodeinfo_parse.hpp"
#include "instctl/activitypub/webfinger_parse.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/local_lookup.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/federation/remote_accounts.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

namespace {

[[noreturn]] void remote(std::string message) {
  throw Error(ErrorKind::remote, std::move(message));
}

// The host (with a port when it has one) of a URL, for policy checks and peers.
std::string url_domain(const std::string& url) {
  const auto parts = net::parse_url(url);
  if (!parts) remote(fmt::format("'{}' is not an http(s) URL", url));
  const auto h = parts->host_header();
  return h;
}

struct NodeInfoSummary {
  std::optional<std::string> software, version;
};

}  // namespace

LookupService::LookupService(Env& env, net::HttpClient& client)
    : m_env(env),
      m_client(client),
      m_allow_http(instance::Settings(env.db).get_bool("federation.allow_http")) {}

std::string LookupService::fetch(const std::string& url, const char* accept,
                                 const std::string& what) {
  m_https_failed = false;
  net::HttpResponse res;
  try {
    net::HttpRequest req;
    req.url = url;
    req.headers = {{"Accept", accept}};
    res = m_client.send(req);
  } catch (const Error&) {
    m_https_failed = true;
    throw;
  }
  if (res.status == 410) remote(fmt::format("{} is gone (410 Gone from {})", what, url));
  if (res.status != 200)
    remote(fmt::format("{} could not be fetched: {} answered {}", what, url, res.status));
  return res.body;
}

std::string LookupService::webfinger(const activitypub::Acct& acct) {
  const auto https = activitypub::webfinger_url(acct);
  try {
    return fetch(https, net::k_accept_jrd, "the WebFinger answer");
  } catch (const Error&) {
    // Plain http only when allowed, and only when https could not be spoken at all.
    if (!m_allow_http || !m_https_failed) throw;
  }
  return fetch(activitypub::webfinger_url(acct, "http"), net::k_accept_jrd, "the WebFinger answer");
}

Json LookupService::lookup(std::string_view target) {
  if (auto local = lookup_local(m_env, target)) return *local;
  const DomainPolicy policy(m_env.db);
  std::string actor_url;
  std::optional<activitypub::Acct> acct;
  const bool is_url =
      util::starts_with_ci(target, "https://") || util::starts_with_ci(target, "http://");
  if (is_url) {
    actor_url = std::string(util::trim(target));
  } else {
    acct = activitypub::parse_acct(target);
    if (!acct) {
      throw Error(ErrorKind::usage,
                  fmt::format("'{}' is neither user@domain nor an actor URL", target));
    }
    policy.require_federates(acct->domain);
    const std::string body = webfinger(*acct);
    const auto wf = activitypub::parse_webfinger(body, *acct);
    if (!wf) remote(wf.error);
    actor_url = wf->self;
  }
  const std::string domain = url_domain(actor_url);
  policy.require_federates(domain);
  const auto actor = activitypub::parse_actor(
      fetch(actor_url, net::k_accept_activity, fmt::format("the actor {}", actor_url)));
  if (!actor) remote(fmt::format("{}: {}", actor_url, actor.error));
  if (url_domain(actor->id) != domain) {
    remote(fmt::format("{} answered with an actor of another host ({}): refused", actor_url,
                       actor->id));
  }
  if (acct && !util::iequals(actor->preferred_username, acct->username)) {
    remote(fmt::format("the actor {} is '{}', not {}: refused", actor->id,
                       actor->preferred_username, acct->text()));
  }
  const std::string account_domain = acct ? acct->domain : domain;

  NodeInfoSummary ni;
  const auto base = net::parse_url(actor_url)->origin();  // url_domain checked it above
  try {
    const auto href = activitypub::parse_nodeinfo_links(
        fetch(base + "/.well-known/nodeinfo", net::k_accept_json, "the NodeInfo index"));
    if (href) {
      const auto doc = activitypub::parse_nodeinfo(fetch(*href, net::k_accept_json, "NodeInfo"));
      if (doc) {
        ni.software = doc->software_name;
        ni.version = doc->software_version;
      }
    }
  } catch (const Error&) {
    // NodeInfo is optional: many small servers do not publish it.
  }

  db::Transaction tx(m_env.db);
  const auto now = m_env.clock.now();
  const auto id = upsert_remote_account(m_env.db, *actor, account_domain, now);
  PeerStore(m_env.db).record_contact(domain, now, ni.software, ni.version);
  const std::string handle = actor->preferred_username + "@" + account_domain;
  audit::record(m_env, "federation.lookup", "user:" + handle, Json{{"actor", actor->id}});
  tx.commit();

  return Json{{"acct", handle},
              {"id", actor->id},
              {"type", actor->type},
              {"name", actor->name},
              {"url", actor->url},
              {"inbox", actor->inbox},
              {"shared_inbox", actor->shared_inbox},
              {"key_id", actor->key_id},
              {"software", ni.software.value_or("")},
              {"software_version", ni.version.value_or("")},
              {"domain", domain},
              {"account_id", id}};
}

}  // namespace instctl::federation
