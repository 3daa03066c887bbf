#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/moderation/action.hpp"
#include "instctl/moderation/moderator.hpp"
#include "instctl/moderation/strike.hpp"

namespace instctl::moderation {

// The account_strikes table: SQL only.
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

}  // namespace instctl::moderation
