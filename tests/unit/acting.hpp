#pragma once

// A moderator's action on an account, taken as `users suspend` etc. take it: through
// moderation::ModerationService, as the operator.

#include <optional>
#include <string>
#include <string_view>

#include "instctl/moderation/moderation_service.hpp"

namespace instctl::test {

inline users::User act(Env& env, std::string_view ref, moderation::Action action,
                       const std::optional<std::string>& reason) {
  moderation::ModerationService moderation(env);
  return moderation.act(ref, moderation.identify(std::nullopt), {action, reason, std::nullopt, {}})
      .account;
}

}  // namespace instctl::test
