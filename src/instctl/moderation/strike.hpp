#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/moderation/action.hpp"
#include "instctl/moderation/moderator.hpp"

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

// SQL only.
class StrikeStore {
 public:
  explicit StrikeStore(db::Connection& db) : m_db(db) {}
  std::int64_t insert(std::int64_t account_id, Action action, std::string_view text,
                      std::optional<std::int64_t> report_id, const Moderator& by, UnixTime now);
  std::optional<Strike> by_id(std::int64_t id);
  // Oldest first.
  std::vector<Strike> for_account(std::int64_t account_id);

 private:
  std::vector<Strike> query(std::string_view where, std::int64_t arg);
  db::Connection& m_db;
};

// id, account, action, text, report_id, moderator, created_at.
Json to_json(const Strike& s);

}  // namespace instctl::moderation
