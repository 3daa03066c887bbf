#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/moderation/action.hpp"

namespace instctl::moderation {

// A moderation action recorded against an account (Mastodon's account warning).
struct Strike {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account;  // acct
  Action action = Action::warn;
  std::string text;
  std::optional<std::int64_t> report_id;
  std::string moderator;
  UnixTime created_at = 0;
};

// id, account, action, text, report_id, moderator, created_at.
Json to_json(const Strike& s);

}  // namespace instctl::moderation
