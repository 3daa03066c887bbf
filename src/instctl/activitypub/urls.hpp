#pragma once

#include <string>
#include <string_view>

namespace instctl::activitypub {

// The URLs of local things, derived from the instance's public URL (no trailing slash). The
// one place that spells them; the routes in http/routes/ serve the same paths.
std::string actor_url(std::string_view public_url, std::string_view username);
std::string profile_url(std::string_view public_url, std::string_view username);  // /@username
std::string instance_actor_url(std::string_view public_url);                      // /actor
std::string shared_inbox_url(std::string_view public_url);                        // /inbox
inline std::string key_id(std::string_view actor) { return std::string(actor) + "#main-key"; }

}  // namespace instctl::activitypub
