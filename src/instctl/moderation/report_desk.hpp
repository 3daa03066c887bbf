#pragma once

// What moderators do with reports: look into one, assign it, write notes, resolve it (with an
// action on the account, through ModerationService), reopen and forward it. Filing, listing
// and receiving reports are reports::ReportService's. Every step takes `as` (--as USER; none:
// $INSTCTL_ACTOR or the operator, see moderator.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/moderation/action.hpp"
#include "instctl/moderation/moderation_service.hpp"
#include "instctl/reports/report_service.hpp"
#include "instctl/reports/report_store.hpp"

namespace instctl::moderation {

struct ResolveResult {
  reports::Report report;
  users::User account;  // the target, after the action
  std::optional<Strike> strike;
  std::vector<std::int64_t> also_resolved;  // other open reports the action resolved
  std::string summary;                      // what happened, in sentences (outcome_sentence)
};

class ReportDesk {
 public:
  explicit ReportDesk(Env& env);

  // What `reports show` prints: the report, its rules and notes, the target's other reports
  // and strikes, and the report's history from the audit log.
  Json details(std::int64_t id);
  // Assigns to `to` (none: the acting moderator).
  reports::Report assign(std::int64_t id, const std::optional<std::string>& to,
                         const std::optional<std::string>& as);
  reports::Report unassign(std::int64_t id, const std::optional<std::string>& as);
  reports::Note note(std::int64_t id, std::string_view text, const std::optional<std::string>& as);
  ResolveResult resolve(std::int64_t id, Action action, const std::optional<std::string>& text,
                        const std::optional<std::string>& as);
  reports::Report reopen(std::int64_t id, const std::optional<std::string>& as);
  reports::ForwardResult forward(std::int64_t id, const std::optional<std::string>& as);

 private:
  Env& m_env;
  ModerationService m_moderation;
  reports::ReportService m_reports;
  reports::ReportStore m_store;
};

}  // namespace instctl::moderation
