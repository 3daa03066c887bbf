#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/reports/report.hpp"

namespace instctl::reports {

struct NewReport {
  Category category = Category::other;
  std::int64_t target_id = 0;
  std::optional<std::int64_t> reporter_id;
  std::optional<std::string> reporter_uri;
  std::string origin;  // "" local
  std::string comment;
  std::optional<std::string> activity_uri;
  std::vector<std::int64_t> rule_ids;
  std::vector<std::string> status_urls;
};

struct ListFilter {
  std::optional<Status> status;  // none: all
  std::optional<std::int64_t> target_id;
  std::optional<std::int64_t> reporter_id;  // filed by this local account
  std::optional<std::int64_t> assigned_id;
  bool unassigned = false;
  std::optional<Category> category;
  std::optional<Origin> origin;
  std::optional<UnixTime> created_after;  // filed after this time (a staff digest's period)
  std::int64_t limit = 0;                 // 0: all
};

// SQL only; no rules. Each state change is one statement that changes the row only when it is
// in the required state, and says whether it did.
class ReportStore {
 public:
  explicit ReportStore(db::Connection& db) : m_db(db) {}

  std::int64_t insert(const NewReport& r, UnixTime now);
  std::optional<Report> by_id(std::int64_t id);
  std::optional<std::int64_t> by_activity(std::string_view activity_uri, std::int64_t target_id);
  // Open reports first, oldest first.
  std::vector<Report> list(const ListFilter& f);
  std::int64_t count(Status s);
  // Reports filed per day from day0 (db::daily_series).
  Json created_per_day(UnixTime day0);

  // A moderator's steps: `by_id` and `by_name` name the moderator (their local account, when
  // they have one), `action_taken` the moderation action (moderation/action.hpp).
  // Resolves the report if it is open; returns the target account's id, or nothing.
  std::optional<std::int64_t> claim_resolve(std::int64_t id, std::string_view action_taken,
                                            std::optional<std::int64_t> by_id,
                                            std::string_view by_name, UnixTime now);
  // Resolves every open report against the account; returns their ids.
  std::vector<std::int64_t> resolve_open_for(std::int64_t account_id, std::string_view action_taken,
                                             std::optional<std::int64_t> by_id,
                                             std::string_view by_name, UnixTime now);
  bool reopen(std::int64_t id, UnixTime now);
  // Sets the assignee (none: unassign) when it differs from the current one.
  bool assign(std::int64_t id, std::optional<std::int64_t> account_id, UnixTime now);
  bool mark_forwarded(std::int64_t id, const Json& activity, UnixTime now);

  std::int64_t add_note(std::int64_t report_id, std::optional<std::int64_t> by_id,
                        std::string_view by_name, std::string_view text, UnixTime now);
  std::vector<Note> notes(std::int64_t report_id);
  // The rules a report names, removed ones included (old reports keep naming them).
  Json rules(std::int64_t report_id);

 private:
  void load_lists(Report& r);
  db::Connection& m_db;
};

}  // namespace instctl::reports
