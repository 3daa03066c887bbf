#include "instctl/moderation/moderation_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/account_announcements.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/users/account_mails.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::moderation {

namespace {

struct StateChange {
  users::Flag flag;
  bool on;
  const char* refusal;
};

std::optional<StateChange> state_change(Action a) {
  switch (a) {
    case Action::suspend:
      return StateChange{users::Flag::suspended, true, "is already suspended"};
    case Action::unsuspend:
      return StateChange{users::Flag::suspended, false, "is not suspended"};
    case Action::silence:
      return StateChange{users::Flag::silenced, true, "is already silenced"};
    case Action::unsilence:
      return StateChange{users::Flag::silenced, false, "is not silenced"};
    case Action::disable:
      return StateChange{users::Flag::disabled, true, "is already disabled"};
    case Action::enable:
      return StateChange{users::Flag::disabled, false, "is not disabled"};
    case Action::none:
    case Action::warn:
      return std::nullopt;
  }
  return std::nullopt;
}

void check_applies(const users::User& u, Action action) {
  if (u.status == users::Status::deleted) {
    throw Error(ErrorKind::conflict, fmt::format("{} is deleted", u.acct()));
  }
  if (!u.is_local() && !applies_to_remote(action)) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} is a remote account: only silence and suspend apply to it, not {}",
                            u.acct(), to_string(action)));
  }
}

}  // namespace

ModerationService::ModerationService(Env& env) : m_env(env), m_users(env), m_strikes(env.db) {}

Moderator ModerationService::identify(const std::optional<std::string>& as) {
  return moderation::identify(m_users, m_env, as);
}

ActionOutcome ModerationService::act(std::string_view ref, const Moderator& by,
                                     const ActionRequest& req) {
  db::Transaction tx(m_env.db);
  const users::User account = m_users.resolve_account(ref);
  auto outcome = act_in_transaction(account, by, req);
  tx.commit();
  return outcome;
}

void ModerationService::change_state(const users::User& u, Action action,
                                     const std::optional<std::string>& text) {
  const auto change = state_change(action);
  if (!change) return;
  users::AccountStore store(m_env.db);
  if (!store.set_flag(u.id, change->flag, change->on, text, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("{} {}", u.acct(), change->refusal));
  }
}

// A local account's remote followers learn of a suspension as of a deletion (the actor now
// answers 410), and of its reversal by an Update that brings the actor back.
std::optional<std::size_t> ModerationService::announce(const users::User& account, Action action) {
  if (!account.is_local()) return std::nullopt;
  if (action == Action::suspend) return federation::announce_delete(m_env, account);
  if (action == Action::unsuspend) return federation::announce_update(m_env, account);
  return std::nullopt;
}

ActionOutcome ModerationService::act_in_transaction(const users::User& account, const Moderator& by,
                                                    const ActionRequest& req) {
  ActionOutcome out;
  out.action = req.action;
  if (req.action == Action::none) {
    out.account = account;
    return out;
  }
  require_reason(req.action, req.text);
  check_rules(req);
  check_applies(account, req.action);
  change_state(account, req.action, req.text);
  const auto now = m_env.clock.now();
  Json details = Json::object();
  if (req.text) details["reason"] = *req.text;
  if (req.report_id) details["report_id"] = *req.report_id;
  if (!req.rule_ids.empty()) details["rule_ids"] = req.rule_ids;
  if (const auto queued = announce(account, req.action)) details["deliveries"] = *queued;
  if (is_strike(req.action)) {
    const auto id =
        m_strikes.insert(account.id, req.action, req.text.value_or(""), req.report_id, by, now);
    out.strike = m_strikes.by_id(id);
    out.strike_number = static_cast<std::int64_t>(m_strikes.for_account(account.id).size());
    details["strike_id"] = id;
    out.resolved_reports = reports::ReportStore(m_env.db).resolve_open_for(
        account.id, to_string(req.action), by.account_id, by.name, now);
    details["resolved_reports"] = out.resolved_reports;
    tell_account(account, req, now);
  }
  record_audit(m_env, by, fmt::format("users.{}", to_string(req.action)), account.audit_target(),
               details);
  // Each report's own history shows how it was closed.
  for (auto id : out.resolved_reports) {
    record_audit(m_env, by, "reports.resolve", reports::audit_target(id),
                 Json{{"action", to_string(req.action)},
                      {"account", account.acct()},
                      {"strike_id", details["strike_id"]},
                      {"by_account_action", true}});
  }
  out.account = *users::AccountStore(m_env.db).by_id(account.id);
  return out;
}

// Rules are named with a strike only, and each must exist (not_found names `rules list`).
void ModerationService::check_rules(const ActionRequest& req) {
  if (req.rule_ids.empty()) return;
  if (!is_strike(req.action)) {
    throw Error(ErrorKind::usage,
                fmt::format("--rule goes with an action that records a strike (suspend, silence, "
                            "disable, warn), not {}",
                            to_string(req.action)));
  }
  for (auto id : req.rule_ids) instance::get_rule(m_env.db, id);
}

// The person learns of a strike against their local account by mail: what was done, the
// moderator's text, the rules named with the action and those of the report it came from, and
// how to reach the moderators.
void ModerationService::tell_account(const users::User& account, const ActionRequest& req,
                                     UnixTime now) {
  mail::MailQueue queue(m_env);
  if (!account.is_local() || !account.email || !queue.enabled()) return;
  users::ModerationNotice notice{to_string(req.action), req.text, {}, now};
  std::vector<std::int64_t> rule_ids = req.rule_ids;
  if (req.report_id) {
    if (const auto report = reports::ReportStore(m_env.db).by_id(*req.report_id)) {
      rule_ids.insert(rule_ids.end(), report->rule_ids.begin(), report->rule_ids.end());
    }
  }
  std::sort(rule_ids.begin(), rule_ids.end());
  rule_ids.erase(std::unique(rule_ids.begin(), rule_ids.end()), rule_ids.end());
  for (auto id : rule_ids) notice.rules.push_back(instance::get_rule(m_env.db, id).text);
  queue.enqueue(mail::MailKind::moderation, *account.email,
                users::moderation_message(mail::load_site(m_env.db), account, notice));
}

std::string outcome_sentence(const ActionOutcome& o) {
  const auto who = o.account.acct();
  const auto n = o.strike_number;
  std::string s;
  switch (o.action) {
    case Action::none:
      return "";
    case Action::warn:
      s = fmt::format("Recorded warning strike {} for {}.", n, who);
      break;
    case Action::disable:
      s = fmt::format("Disabled {}: they cannot log in (strike {}).", who, n);
      break;
    case Action::silence:
      s = fmt::format("Silenced {} (strike {}).", who, n);
      break;
    case Action::suspend:
      s = fmt::format("Suspended {} (strike {}).", who, n);
      break;
    case Action::unsuspend:
      s = fmt::format("Lifted the suspension of {}.", who);
      break;
    case Action::unsilence:
      s = fmt::format("Lifted the silence on {}.", who);
      break;
    case Action::enable:
      s = fmt::format("Enabled {}: they can log in again.", who);
      break;
  }
  if (!o.resolved_reports.empty()) {
    s +=
        fmt::format(" Resolved {} against {}: {}.",
                    util::counted(static_cast<long long>(o.resolved_reports.size()), "open report"),
                    who, fmt::join(o.resolved_reports, ", "));
  }
  return s;
}

std::vector<Strike> ModerationService::strikes(std::int64_t account_id) {
  return m_strikes.for_account(account_id);
}

}  // namespace instctl::moderation
