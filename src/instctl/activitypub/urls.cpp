#include "instctl/activitypub/urls.hpp"

#include <fmt/format.h>

namespace instctl::activitypub {

std::string actor_url(std::string_view public_url, std::string_view username) {
  return fmt::format("{}/users/{}", public_url, username);
}

std::string profile_url(std::string_view public_url, std::string_view username) {
  return fmt::format("{}/@{}", public_url, username);
}

std::string instance_actor_url(std::string_view public_url) {
  return fmt::format("{}/actor", public_url);
}

std::string shared_inbox_url(std::string_view public_url) {
  return fmt::format("{}/inbox", public_url);
}

}  // namespace instctl::activitypub
