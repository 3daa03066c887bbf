#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/core/json.hpp"
#include "instctl/moderation/moderation_service.hpp"
#include "instctl/reports/flag.hpp"
#include "instctl/reports/report.hpp"
#include "instctl/reports/report_store.hpp"

namespace instctl::reports {

struct CreateRequest {
  std::string target;  // USER or ACCT
  Category category = Category::other;
  std::vector<std::int64_t> rule_ids;
  std::string comment;
  std::vector<std::string> status_urls;
  std::optional<std::string> reporter;  // a local user; none: filed by the operator
  bool forward = false;
};

struct CreateResult {
  Report report;
  bool remote_account_recorded = false;  // the target was unknown and is now recorded
  std::optional<std::string> forward_note;
};

struct ListRequest {
  std::optional<Status> status = Status::open;  // none: all
  std::optional<std::string> target;
  std::optional<std::string> assigned_to;
  bool unassigned = false;
  std::optional<Category> category;
  std::optional<Origin> origin;
  std::int64_t limit = 0;
};

struct ResolveResult {
  Report report;
  users::User account;  // the target, after the action
  std::optional<moderation::Strike> strike;
  std::vector<std::int64_t> also_resolved;  // other open reports the action resolved
  std::string summary;  // what happened, in sentences (moderation::outcome_sentence)
};

struct ForwardResult {
  Report report;
  Json activity;      // the Flag
  std::string state;  // what happened to it: "queued", "stored"
  std::string message;
};

// The rules about reports, shared by the command line and the inbox. Every moderator step
// takes `as` (--as USER; none: $INSTCTL_ACTOR or the operator, see moderation/moderator.hpp).
class ReportService {
 public:
  explicit ReportService(Env& env);

  CreateResult create(const CreateRequest& req);
  std::vector<Report> list(const ListRequest& req);
  // Every report the local account filed, oldest first (a member's data export).
  std::vector<Report> filed_by(std::int64_t account_id);
  Report get(std::int64_t id);
  // What `reports show` prints: the report, its rules and notes, the target's other reports
  // and strikes, and the report's history from the audit log.
  Json details(std::int64_t id);

  // Assigns to `to` (none: the acting moderator).
  Report assign(std::int64_t id, const std::optional<std::string>& to,
                const std::optional<std::string>& as);
  Report unassign(std::int64_t id, const std::optional<std::string>& as);
  Note note(std::int64_t id, std::string_view text, const std::optional<std::string>& as);
  ResolveResult resolve(std::int64_t id, moderation::Action action,
                        const std::optional<std::string>& text, const std::optional<std::string>& as);
  Report reopen(std::int64_t id, const std::optional<std::string>& as);
  ForwardResult forward(std::int64_t id, const std::optional<std::string>& as);

  // The inbox's handler for a Flag from another instance: one report per local account it
  // names, with origin = the sender's domain. A redelivered Flag returns the reports it made
  // the first time. Accounts that are not local are ignored (as Mastodon does). Flags from
  // suspended domains or domains blocked with reject_reports are dropped (nothing returned).
  std::vector<Report> receive_flag(const IncomingFlag& flag);

 private:
  Report must_get(std::int64_t id);
  users::User resolve_target(std::string_view ref, bool& recorded);
  void validate(CreateRequest& req);
  ForwardResult forward_in_transaction(const Report& r, const moderation::Moderator& by);
  void tell_moderators(const Report& r);
  // The username in a local actor URI (<public_url>/users/NAME).
  std::optional<std::string_view> local_actor_name(std::string_view uri);
  Env& m_env;
  moderation::ModerationService m_moderation;
  ReportStore m_store;
};

}  // namespace instctl::reports
