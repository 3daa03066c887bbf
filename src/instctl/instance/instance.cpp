#include "instctl/instance/instance.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/keys.hpp"
#include "instctl/instance/instance_store.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/address.hpp"
#include "instctl/util/ip_range.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"
#include "instctl/util/url.hpp"

namespace instctl::instance {

std::string normalize_domain(std::string_view raw) {
  const std::string d = util::to_lower(util::trim(raw));
  const auto colon = d.rfind(':');
  const std::string host = colon == std::string::npos ? d : d.substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : d.substr(colon + 1);
  bool ok = util::is_dns_name(host);
  if (colon != std::string::npos) {
    ok = ok && !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string::npos && std::stoi(port) <= 65535;
  }
  if (!ok) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is not a domain: give a host name such as social.example.com, "
                            "optionally with a port (localhost:8080)",
                            raw));
  }
  return d;
}

std::string url_authority(std::string_view url) {
  const auto u = util::parse_url(url);
  return u ? u->host_header() : "";
}

void settle_domains(InstanceInfo& info) {
  info.domain = url_authority(info.public_url);
  info.account_domain =
      info.separate_account_domain.empty() ? info.domain : info.separate_account_domain;
}

std::string handle(const InstanceInfo& info, std::string_view username) {
  return fmt::format("@{}@{}", username, info.account_domain);
}

std::string handle_list(const InstanceInfo& info, const std::vector<std::string>& usernames) {
  std::vector<std::string> handles;
  for (const auto& u : usernames) handles.push_back(handle(info, u));
  return util::and_list(handles);
}

bool has_instance(db::Connection& db) { return InstanceStore(db).exists(); }

namespace {

// Set once at start-up, before threads exist; read-only afterwards.
std::optional<std::string>& public_url_override() {
  static std::optional<std::string> url;
  return url;
}

}  // namespace

void override_public_url(std::optional<std::string> url) { public_url_override() = std::move(url); }

namespace {
Error no_instance(db::Connection& db) {
  return Error(ErrorKind::internal,
               fmt::format("the database {} holds no instance: run 'instctl init --domain DOMAIN'",
                           db.location()));
}
}  // namespace

void require_instance(db::Connection& db) {
  if (!has_instance(db)) throw no_instance(db);
}

InstanceInfo load(db::Connection& db) {
  const auto row = InstanceStore(db).find();
  if (!row) throw no_instance(db);
  InstanceInfo info;
  const std::string& stored_domain = row->domain;
  if (row->account_domain != stored_domain) info.separate_account_domain = row->account_domain;
  info.created_at = row->created_at;
  Settings settings(db);
  if (const auto& url = public_url_override()) {
    info.public_url = *url;
  } else {
    info.public_url = settings.get("server.public_url");
    if (info.public_url.empty()) info.public_url = "https://" + stored_domain;
  }
  settle_domains(info);
  info.title = settings.get("instance.title");
  if (info.title.empty()) info.title = info.domain;
  return info;
}

namespace {

std::string host_of(std::string_view authority) {
  return std::string(authority.substr(0, authority.rfind(':')));
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  return host.find(':') == std::string_view::npos && util::is_loopback_address(host);
}

}  // namespace

std::string default_public_url(std::string_view domain) {
  const std::string scheme = is_loopback_host(host_of(domain)) ? "http://" : "https://";
  return scheme + std::string(domain);
}

std::optional<std::string> default_listen(std::string_view domain) {
  const auto colon = domain.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return fmt::format("127.0.0.1:{}", domain.substr(colon + 1));
}

InstanceInfo initialize(Env& env, const InitOptions& o) {
  if (o.domain.empty() && !o.public_url) {
    throw Error(ErrorKind::usage,
                "give the instance's web domain with --domain DOMAIN, or its --public-url URL");
  }
  const std::optional<std::string> url =
      o.public_url ? std::optional(validate_config_value("server.public_url", *o.public_url))
                   : std::nullopt;
  const std::string domain = normalize_domain(o.domain.empty() ? url_authority(*url) : o.domain);
  const std::string public_url = url ? *url : default_public_url(domain);
  if (url_authority(public_url) != url_authority("https://" + domain) &&
      url_authority(public_url) != url_authority("http://" + domain)) {
    throw Error(ErrorKind::usage,
                fmt::format("--domain {} is not the host of --public-url {}: the web domain is the "
                            "public URL's host (give --account-domain for shorter handles)",
                            domain, public_url));
  }
  const std::string account_domain =
      o.account_domain ? normalize_domain(*o.account_domain) : domain;
  std::optional<std::string> title;
  if (o.title) title = validate_config_value("instance.title", *o.title);
  std::optional<std::string> registrations;
  if (o.registrations)
    registrations = validate_config_value("registrations.mode", *o.registrations);
  // Key generation takes tens of milliseconds: do it before taking the write lock.
  const auto keys = crypto::generate_rsa_key_pair();

  db::Transaction tx(env.db);
  if (has_instance(env.db)) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} already holds an instance ({}); use another --db path",
                            env.db.location(), load(env.db).domain));
  }
  const UnixTime now = env.clock.now();
  InstanceStore(env.db).insert({domain, account_domain, now}, keys.public_pem, keys.private_pem);
  Settings settings(env.db);
  settings.put("server.public_url", public_url, now);
  if (const auto listen = default_listen(domain); listen && !o.domain.empty()) {
    settings.put("server.listen", *listen, now);
  }
  if (title) settings.put("instance.title", *title, now);
  if (registrations) settings.put("registrations.mode", *registrations, now);
  audit::record(
      env, "instance.init", fmt::format("instance:{}", domain),
      Json{{"domain", domain}, {"account_domain", account_domain}, {"public_url", public_url}});
  tx.commit();
  return load(env.db);
}

ActorKeys instance_actor_keys(db::Connection& db) {
  auto keys = InstanceStore(db).actor_keys();
  if (!keys) {
    throw Error(ErrorKind::internal, "the instance actor has no keys: the database is incomplete");
  }
  return {std::move(keys->first), std::move(keys->second)};
}

Json to_json(const InstanceInfo& i) {
  return Json{{"domain", i.domain},
              {"account_domain", i.account_domain},
              {"public_url", i.public_url},
              {"title", i.title},
              {"created_at", util::format_time(i.created_at)}};
}

}  // namespace instctl::instance
