#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"

namespace instctl::instance {

struct InstanceInfo {
  std::string domain;          // the web domain: the public URL's host, maybe with a port
  std::string account_domain;  // the handle domain (@user@account_domain)
  std::string public_url;      // no trailing slash
  // The account domain `init --account-domain` set apart from the web domain; "" when handles
  // follow the web domain.
  std::string separate_account_domain;
  std::string title;
  UnixTime created_at = 0;
};

struct InitOptions {
  std::string domain;  // "" to take the public URL's host
  std::optional<std::string> account_domain;
  std::optional<std::string> public_url;
  std::optional<std::string> title;
  std::optional<std::string> registrations;
};

// Throws Error(usage) unless `domain` is a host name (letters, digits, dots, hyphens) with an
// optional :port. Returns it in lower case.
std::string normalize_domain(std::string_view domain);

// The public URL `init` gives a domain without --public-url: http:// for localhost, *.localhost
// and 127.0.0.0/8 (nothing serves TLS there), https:// otherwise.
std::string default_public_url(std::string_view domain);
// The server.listen `init` gives a domain with a port (localhost:8088 -> 127.0.0.1:8088), so
// `serve` answers where the public URL points; nullopt without a port.
std::optional<std::string> default_listen(std::string_view domain);

// The host (and port, unless it is the scheme's default) of an http(s) URL, in lower case.
std::string url_authority(std::string_view url);

// Which domain is which, as Mastodon's WEB_DOMAIN and LOCAL_DOMAIN: the web domain, where
// actors, pages and the API live, is the public URL's host; the account domain, which handles
// are written with, is the one set apart at init, else the web domain. Call it whenever
// `public_url` changes.
void settle_domains(InstanceInfo& info);

// A local user's handle as people write it: @username@account_domain.
std::string handle(const InstanceInfo& info, std::string_view username);
// Handles in a sentence: "@a@d", "@a@d and @b@d", "@a@d, @b@d and @c@d".
std::string handle_list(const InstanceInfo& info, const std::vector<std::string>& usernames);

// Writes the instance row, settings and the instance actor's keys into a migrated, empty
// database. Refuses (conflict) when the database already holds an instance.
InstanceInfo initialize(Env& env, const InitOptions& opts);

// Throws Error(internal) with a hint when the database holds no instance. The public URL is
// the `server.public_url` setting, or the one given with override_public_url.
InstanceInfo load(db::Connection& db);

// `instctl serve --public-url`: for the rest of this process, the instance is reached at `url`
// (already validated), whatever the stored setting says. Every id, key id and signature made in
// the process then agrees: the actors, the Accepts the inbox queues, the deliveries. Call it
// before any thread starts (nullopt goes back to the setting).
void override_public_url(std::optional<std::string> url);
bool has_instance(db::Connection& db);
// Throws, with the hint to run init, when the database holds no instance (an empty one).
void require_instance(db::Connection& db);

// The instance actor's key pair, for signing Flags and fetches.
struct ActorKeys {
  std::string public_key_pem;
  std::string private_key_pem;
};
ActorKeys instance_actor_keys(db::Connection& db);

Json to_json(const InstanceInfo& info);

}  // namespace instctl::instance
