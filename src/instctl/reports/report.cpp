#include "instctl/reports/report.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::reports {

namespace {
template <typename T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
Json opt_time(const std::optional<UnixTime>& t) {
  return t ? Json(util::format_time(*t)) : Json(nullptr);
}
}  // namespace

void check_text(std::string_view what, std::string_view text, std::size_t max) {
  if (!util::is_valid_utf8(text))
    throw Error(ErrorKind::usage, fmt::format("{} must be UTF-8", what));
  if (util::utf8_width(text) > max) {
    throw Error(ErrorKind::usage, fmt::format("{} is limited to {} characters", what, max));
  }
}

std::string audit_target(std::int64_t id) { return fmt::format("report:{}", id); }

const char* to_string(Category c) {
  switch (c) {
    case Category::spam:
      return "spam";
    case Category::legal:
      return "legal";
    case Category::violation:
      return "violation";
    case Category::other:
      return "other";
  }
  return "other";
}

const char* to_string(Status s) { return s == Status::open ? "open" : "resolved"; }

Category parse_category(std::string_view s) {
  for (Category c : {Category::spam, Category::legal, Category::violation, Category::other}) {
    if (s == to_string(c)) return c;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown category '{}': use spam, legal, violation or other", s));
}

Status parse_status(std::string_view s) {
  if (s == "open") return Status::open;
  if (s == "resolved") return Status::resolved;
  throw Error(ErrorKind::usage,
              fmt::format("unknown report status '{}': use open, resolved or all", s));
}

Origin parse_origin(std::string_view s) {
  if (s == "local") return Origin::local;
  if (s == "remote") return Origin::remote;
  throw Error(ErrorKind::usage, fmt::format("unknown origin '{}': use local or remote", s));
}

Json to_json(const Report& r) {
  return Json{{"id", r.id},
              {"status", to_string(r.status)},
              {"category", to_string(r.category)},
              {"rule_ids", r.rule_ids},
              {"target", r.target},
              {"reporter", opt(r.reporter)},
              {"origin", r.origin.empty() ? std::string("local") : r.origin},
              {"assigned_to", opt(r.assigned_to)},
              {"action_taken", opt(r.action_taken)},
              {"comment", r.comment},
              {"status_urls", r.status_urls},
              {"forwarded", r.forwarded_at.has_value()},
              {"created_at", util::format_time(r.created_at)},
              {"resolved_at", opt_time(r.resolved_at)},
              {"resolved_by", opt(r.resolved_by)}};
}

Json to_json(const Note& n) {
  return Json{{"id", n.id},
              {"author", n.author},
              {"text", n.text},
              {"created_at", util::format_time(n.created_at)}};
}

}  // namespace instctl::reports
