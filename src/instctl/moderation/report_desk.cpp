#include "instctl/moderation/report_desk.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::moderation {

ReportDesk::ReportDesk(Env& env) : m_env(env), m_moderation(env), m_reports(env), m_store(env.db) {}

Json ReportDesk::details(std::int64_t id) {
  db::Transaction tx(m_env.db, db::Transaction::Mode::read);
  const reports::Report r = m_reports.get(id);
  Json j = to_json(r);
  const auto target = users::AccountStore(m_env.db).by_id(r.target_id);
  j["target_status"] = target ? users::to_string(target->status) : "unknown";
  j["rules"] = m_store.rules(id);
  Json notes = Json::array();
  for (const auto& n : m_store.notes(id)) notes.push_back(to_json(n));
  j["notes"] = notes;
  reports::ListFilter others;
  others.target_id = r.target_id;
  Json previous = Json::array();
  for (const auto& o : m_store.list(others)) {
    if (o.id == r.id) continue;
    previous.push_back(
        Json{{"id", o.id},
             {"status", to_string(o.status)},
             {"category", to_string(o.category)},
             {"action_taken", o.action_taken ? Json(*o.action_taken) : Json(nullptr)},
             {"created_at", util::format_time(o.created_at)}});
  }
  j["previous_reports"] = previous;
  Json strikes = Json::array();
  for (const auto& s : m_moderation.strikes(r.target_id)) strikes.push_back(to_json(s));
  j["strikes"] = strikes;
  audit::Filter history;
  history.target = reports::audit_target(id);
  Json entries = Json::array();
  for (const auto& e : audit::list(m_env.db, history)) entries.push_back(audit::to_json(e));
  j["history"] = entries;
  tx.commit();
  return j;
}

reports::Report ReportDesk::assign(std::int64_t id, const std::optional<std::string>& to,
                                   const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  m_reports.get(id);
  const auto by = m_moderation.identify(as);
  std::optional<users::User> assignee;
  if (to) {
    assignee = require_staff(m_moderation.users(), *to);
  } else if (by.account_id) {
    assignee = users::AccountStore(m_env.db).by_id(*by.account_id);
  } else {
    throw Error(
        ErrorKind::usage,
        "whom to assign? give --to USER, or --as USER (or INSTCTL_ACTOR=USER) to take it yourself");
  }
  if (!m_store.assign(id, assignee->id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict,
                fmt::format("report {} is already assigned to {}", id, assignee->username));
  }
  record_audit(m_env, by, "reports.assign", reports::audit_target(id),
               Json{{"assigned_to", assignee->username}});
  tx.commit();
  return m_reports.get(id);
}

reports::Report ReportDesk::unassign(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const reports::Report before = m_reports.get(id);
  const auto by = m_moderation.identify(as);
  if (!m_store.assign(id, std::nullopt, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("report {} is not assigned to anyone", id));
  }
  record_audit(m_env, by, "reports.unassign", reports::audit_target(id),
               Json{{"was_assigned_to", before.assigned_to.value_or("")}});
  tx.commit();
  return m_reports.get(id);
}

reports::Note ReportDesk::note(std::int64_t id, std::string_view raw,
                               const std::optional<std::string>& as) {
  const auto text = std::string(util::trim(raw));
  if (text.empty()) throw Error(ErrorKind::usage, "a note needs a text");
  reports::check_text("a note", text, reports::k_max_note);
  db::Transaction tx(m_env.db);
  m_reports.get(id);
  const auto by = m_moderation.identify(as);
  const auto note_id = m_store.add_note(id, by.account_id, by.name, text, m_env.clock.now());
  record_audit(m_env, by, "reports.note", reports::audit_target(id),
               Json{{"note_id", note_id}, {"text", text}});
  tx.commit();
  for (auto& n : m_store.notes(id)) {
    if (n.id == note_id) return n;
  }
  throw Error(ErrorKind::internal, "the note just written is missing");
}

ResolveResult ReportDesk::resolve(std::int64_t id, Action action,
                                  const std::optional<std::string>& text,
                                  const std::optional<std::string>& as) {
  if (text) reports::check_text("--text", *text, reports::k_max_note);
  if (!is_strike(action) && action != Action::none) {
    throw Error(ErrorKind::usage,
                "use none, warn, disable, silence or suspend to resolve a report");
  }
  db::Transaction tx(m_env.db);
  const auto by = m_moderation.identify(as);
  const auto now = m_env.clock.now();
  // The claim: of two moderators resolving at once, exactly one gets the row.
  const auto target_id = m_store.claim_resolve(id, to_string(action), by.account_id, by.name, now);
  if (!target_id) {
    const reports::Report r = m_reports.get(id);
    throw Error(
        ErrorKind::conflict,
        fmt::format("report {} is already resolved (by {} at {}): 'instctl reports reopen {}' "
                    "reopens it",
                    id, r.resolved_by.value_or("?"), util::format_time(r.resolved_at.value_or(0)),
                    id));
  }
  const users::User account = *users::AccountStore(m_env.db).by_id(*target_id);
  const auto outcome = m_moderation.act_in_transaction(account, by, {action, text, id, {}});
  if (action == Action::none && text) m_store.add_note(id, by.account_id, by.name, *text, now);
  ResolveResult result;
  result.account = outcome.account;
  result.strike = outcome.strike;
  result.also_resolved = outcome.resolved_reports;
  result.summary =
      action == Action::none
          ? fmt::format("Resolved report {} without acting on {} ({}).", id, outcome.account.acct(),
                        users::to_string(outcome.account.status))
          : fmt::format("Resolved report {}. {}", id, outcome_sentence(outcome));
  record_audit(m_env, by, "reports.resolve", reports::audit_target(id),
               Json{{"action", to_string(action)},
                    {"account", account.acct()},
                    {"text", text ? Json(*text) : Json(nullptr)},
                    {"strike_id", outcome.strike ? Json(outcome.strike->id) : Json(nullptr)},
                    {"also_resolved", outcome.resolved_reports}});
  result.report = m_reports.get(id);
  tx.commit();
  return result;
}

reports::Report ReportDesk::reopen(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const reports::Report before = m_reports.get(id);
  const auto by = m_moderation.identify(as);
  if (!m_store.reopen(id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("report {} is already open", id));
  }
  record_audit(m_env, by, "reports.reopen", reports::audit_target(id),
               Json{{"action_taken", before.action_taken.value_or("")}});
  tx.commit();
  return m_reports.get(id);
}

reports::ForwardResult ReportDesk::forward(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const reports::Report r = m_reports.get(id);
  const auto by = m_moderation.identify(as);
  auto result = m_reports.forward_in_transaction(r, by.name);
  tx.commit();
  return result;
}

}  // namespace instctl::moderation
