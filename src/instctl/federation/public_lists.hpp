#pragma once

// What the public Mastodon API tells about the instance's federation: its peers and, when
// api.show_domain_blocks allows it, its domain blocks (obfuscated where the rule says so).

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

// The known remote domains, without blocked ones (any block on the domain or a parent) and,
// in allowlist mode, without the ones not allowed. Sorted.
std::vector<std::string> public_peers(db::Connection& db);

// /api/v1/instance/domain_blocks: the silence and suspend blocks as Mastodon's DomainBlock
// entities (domain, digest, severity, comment), sorted by domain. nullopt when
// api.show_domain_blocks hides them: "none", and "users" (instctl's API has no signed-in
// users, so the list is public only with "all").
std::optional<Json> public_domain_blocks(db::Connection& db);

}  // namespace instctl::federation
