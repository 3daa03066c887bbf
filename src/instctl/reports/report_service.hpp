#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/federation/flag.hpp"
#include "instctl/reports/report.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/users/user_service.hpp"

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

struct ForwardResult {
  Report report;
  Json activity;      // the Flag
  std::string state;  // what happened to it: "queued", "stored"
  std::string message;
};

// The rules about reports, shared by the command line and the inbox: filing, listing,
// receiving and forwarding them. What moderators do with a report (assign, note, resolve,
// reopen) is moderation::ReportDesk's.
class ReportService {
 public:
  explicit ReportService(Env& env);

  CreateResult create(const CreateRequest& req);
  std::vector<Report> list(const ListRequest& req);
  // Every report the local account filed, oldest first (a member's data export).
  std::vector<Report> filed_by(std::int64_t account_id);
  Report get(std::int64_t id);  // not_found when there is none

  // Sends the report (filed here, about a remote account whose actor is known, not forwarded
  // yet) to the account's instance as a Flag from the instance actor, queued inside the
  // caller's transaction; the audit entry names `by` as its actor.
  ForwardResult forward_in_transaction(const Report& r, const std::string& by);

  // The inbox's handler for a Flag from another instance: one report per local account it
  // names, with origin = the sender's domain. A redelivered Flag returns the reports it made
  // the first time. Accounts that are not local are ignored (as Mastodon does). Flags from
  // suspended domains or domains blocked with reject_reports are dropped (nothing returned).
  std::vector<Report> receive_flag(const federation::IncomingFlag& flag);

 private:
  Report must_get(std::int64_t id);
  users::User resolve_target(std::string_view ref, bool& recorded);
  void validate(CreateRequest& req);
  void tell_moderators(const Report& r);
  // The username in a local actor URI (<public_url>/users/NAME).
  std::optional<std::string_view> local_actor_name(std::string_view uri);
  Env& m_env;
  users::UserService m_users;
  ReportStore m_store;
};

}  // namespace instctl::reports
