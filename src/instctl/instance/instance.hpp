#pragma once

#include <optional>
#include <string>

#include "instctl/core/env.hpp"
#include "instctl/core/json.hpp"

namespace instctl::instance {

struct InstanceInfo {
  std::string domain;          // web host, maybe with a port
  std::string account_domain;  // handle domain
  std::string public_url;      // no trailing slash
  std::string title;
  UnixTime created_at = 0;
};

struct InitOptions {
  std::string domain;
  std::optional<std::string> account_domain;
  std::optional<std::string> public_url;
  std::optional<std::string> title;
  std::optional<std::string> registrations;
};

// Throws Error(usage) unless `domain` is a host name (letters, digits, dots, hyphens) with an
// optional :port. Returns it in lower case.
std::string normalize_domain(std::string_view domain);

// Writes the instance row, settings and the instance actor's keys into a migrated, empty
// database. Refuses (conflict) when the database already holds an instance.
InstanceInfo initialize(Env& env, const InitOptions& opts);

// Throws Error(internal) with a hint when the database holds no instance.
InstanceInfo load(db::Connection& db);
bool has_instance(db::Connection& db);

// The instance actor's key pair, for signing Flags and fetches.
struct ActorKeys {
  std::string public_key_pem;
  std::string private_key_pem;
};
ActorKeys instance_actor_keys(db::Connection& db);

Json to_json(const InstanceInfo& info);

}  // namespace instctl::instance
