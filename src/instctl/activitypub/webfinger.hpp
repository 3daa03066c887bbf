#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/json.hpp"
#include "instctl/instance/instance.hpp"

namespace instctl::activitypub {

// What a WebFinger resource names on this instance.
struct WebfingerTarget {
  enum class Kind { user, instance_actor };
  Kind kind = Kind::user;
  std::string username;  // for users, as given (case is resolved by the lookup)
};

// Understands acct:USER@DOMAIN (DOMAIN being the account domain or the web host, port included,
// case-insensitive; "acct:" and a leading '@' optional), the actor URL (/users/USER), the
// profile URL (/@USER), and the instance actor (acct:D@D for either domain, or /actor).
// nullopt when the resource is not one of this instance's.
std::optional<WebfingerTarget> parse_webfinger_resource(std::string_view resource,
                                                        const instance::InstanceInfo& site);

// The JRD for a local user: subject acct:USER@ACCOUNT_DOMAIN, aliases, profile-page and self.
Json webfinger_jrd(const instance::InstanceInfo& site, std::string_view username);
Json instance_actor_jrd(const instance::InstanceInfo& site);

// The host-meta XRD pointing at WebFinger.
std::string host_meta_xrd(const instance::InstanceInfo& site);

}  // namespace instctl::activitypub
