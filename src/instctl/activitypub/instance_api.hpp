#pragma once

// Mastodon's REST entities for the instance (GET /api/v1/instance, /api/v2/instance, ...),
// so apps and directories that speak Mastodon's API can describe this instance.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/rules.hpp"

namespace instctl::activitypub {

struct InstanceSummary {
  instance::InstanceInfo site;
  std::string description;
  std::string contact_email;
  std::string registrations_mode;  // open, approval, invite, closed
  std::vector<instance::Rule> rules;
  std::int64_t user_count = 0;
  std::int64_t active_month = 0;
  std::int64_t domain_count = 0;
  std::string privacy_policy_url;  // "" without a policy
};

// "4.0.0 (compatible; instctl X.Y.Z)": clients read the Mastodon API level from the front
// (why 4.0.0: instance_api.cpp).
std::string api_version();
Json instance_v1(const InstanceSummary& s);
Json instance_v2(const InstanceSummary& s);
Json rule_entity(const instance::Rule& r);

// Mastodon's public form of an obfuscated domain: the middle characters but dots become '*'.
std::string obfuscate_domain(std::string_view domain);
// An entry of /api/v1/instance/domain_blocks (digest: SHA-256 of the real domain, in hex).
Json domain_block_entity(std::string_view domain, std::string_view severity,
                         std::string_view public_comment, bool obfuscate);

}  // namespace instctl::activitypub
