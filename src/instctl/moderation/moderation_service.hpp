#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/moderation/action.hpp"
#include "instctl/moderation/moderator.hpp"
#include "instctl/moderation/strike_store.hpp"
#include "instctl/users/user.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::moderation {

struct ActionRequest {
  Action action = Action::none;
  std::optional<std::string> text;        // the reason, shown with the strike
  std::optional<std::int64_t> report_id;  // the report that led to it
  // The instance's rules broken (ids, as `rules list` and reports name them), told to the
  // account with the report's own; strike actions only, each one checked to exist.
  std::vector<std::int64_t> rule_ids;
};

struct ActionOutcome {
  Action action = Action::none;
  users::User account;  // as it is after the action
  std::optional<Strike> strike;
  std::int64_t strike_number = 0;  // the strike's place among the account's strikes (1: the first)
  std::vector<std::int64_t> resolved_reports;  // open reports this action resolved
};

// What an action did, in sentences for the moderator: "Recorded warning strike 2 for hopper.",
// "Suspended spam@remote.example (strike 1). Resolved 2 open reports against them: 4, 7."
// Empty for Action::none.
std::string outcome_sentence(const ActionOutcome& o);

// The one implementation of account actions, used by `users suspend|silence|...` and by
// `reports resolve --action`: it checks the action fits the account, changes the account,
// records the strike, resolves every open report against the account, and writes the audit
// entry, all in one transaction.
class ModerationService {
 public:
  explicit ModerationService(Env& env);

  // The moderator named by --as (or $INSTCTL_ACTOR); see moderator.hpp.
  Moderator identify(const std::optional<std::string>& as);

  // Acts on the account named by `ref` (USER or ACCT) in its own transaction.
  ActionOutcome act(std::string_view ref, const Moderator& by, const ActionRequest& req);
  // The same, inside the caller's transaction.
  ActionOutcome act_in_transaction(const users::User& account, const Moderator& by,
                                   const ActionRequest& req);

  // Strikes against an account, oldest first.
  std::vector<Strike> strikes(std::int64_t account_id);

  users::UserService& users() { return m_users; }

 private:
  void change_state(const users::User& account, Action action,
                    const std::optional<std::string>& text);
  std::optional<std::size_t> announce(const users::User& account, Action action);
  void check_rules(const ActionRequest& req);
  void tell_account(const users::User& account, const ActionRequest& req, UnixTime now);
  Env& m_env;
  users::UserService m_users;
  StrikeStore m_strikes;
};

}  // namespace instctl::moderation
