#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::reports {

enum class Category { spam, legal, violation, other };
enum class Status { open, resolved };
enum class Origin { local, remote };

const char* to_string(Category c);
const char* to_string(Status s);
// Throw Error(usage) naming the accepted values.
Category parse_category(std::string_view s);
Status parse_status(std::string_view s);
Origin parse_origin(std::string_view s);

// A moderator's note or resolution text: at most this many code points.
inline constexpr std::size_t k_max_note = 2000;
// Throws Error(usage) naming `what` when `text` is not UTF-8 or longer than `max` code points.
void check_text(std::string_view what, std::string_view text, std::size_t max);
// The audit log's target for a report: "report:ID".
std::string audit_target(std::int64_t id);

// A report against a local user or a remote account, filed here or received as a Flag.
struct Report {
  std::int64_t id = 0;
  Status status = Status::open;
  Category category = Category::other;
  std::vector<std::int64_t> rule_ids;
  std::int64_t target_id = 0;
  std::string target;  // acct of the reported account
  std::optional<std::int64_t> reporter_id;
  std::optional<std::string> reporter;  // acct, a remote actor URI, or none (filed by the operator)
  std::string origin;                   // "" for local reports, else the reporting domain
  std::string comment;
  std::vector<std::string> status_urls;
  std::optional<std::int64_t> assigned_id;
  std::optional<std::string> assigned_to;
  std::optional<std::string> action_taken;
  std::optional<std::string> activity_uri;  // the Flag it came from
  std::optional<UnixTime> forwarded_at;
  std::optional<std::string> forward_activity_uri;
  std::optional<UnixTime> resolved_at;
  std::optional<std::string> resolved_by;
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

struct Note {
  std::int64_t id = 0;
  std::int64_t report_id = 0;
  std::string author;
  std::string text;
  UnixTime created_at = 0;
};

// SPEC.md's report fields (id, status, category, target, reporter, origin, assigned_to,
// action_taken, comment, created_at, resolved_at) and rule_ids, status_urls, forwarded,
// resolved_by. The one place that names them, for every output format.
Json to_json(const Report& r);
Json to_json(const Note& n);

}  // namespace instctl::reports
