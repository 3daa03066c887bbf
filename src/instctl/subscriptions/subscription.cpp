#include "instctl/subscriptions/subscription.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::subscriptions {

namespace {
Json time_or_null(const std::optional<UnixTime>& t) {
  return t ? Json(util::format_time(*t)) : Json(nullptr);
}
Json text_or_null(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }
}  // namespace

const char* to_string(Trust t) { return t == Trust::automatic ? "auto" : "draft"; }

Trust parse_trust(std::string_view s) {
  if (s == "auto") return Trust::automatic;
  if (s == "draft") return Trust::draft;
  throw Error(ErrorKind::usage, fmt::format("unknown trust '{}': use auto or draft", s));
}

const char* to_string(DraftKind k) {
  switch (k) {
    case DraftKind::block:
      return "block";
    case DraftKind::change:
      return "change";
    case DraftKind::retract:
      return "retract";
  }
  return "block";
}

DraftKind parse_draft_kind(std::string_view s) {
  if (s == "change") return DraftKind::change;
  if (s == "retract") return DraftKind::retract;
  return DraftKind::block;
}

Json to_json(const Subscription& s) {
  return Json{{"name", s.name},
              {"url", s.url},
              {"format", s.format ? federation::to_string(*s.format) : "detect"},
              {"trust", to_string(s.trust)},
              {"severity_cap", federation::to_string(s.severity_cap)},
              {"entries", s.entries},
              {"last_result", text_or_null(s.last_result)},
              {"last_error", text_or_null(s.last_error)},
              {"last_refresh_at", time_or_null(s.last_refresh_at)},
              {"last_success_at", time_or_null(s.last_success_at)},
              {"created_at", util::format_time(s.created_at)}};
}

Json to_json(const Policy& p) {
  return Json{{"threshold", p.threshold}, {"severity", p.strongest ? "strongest" : "weakest"}};
}

void add_json(Json& record, const Consequences& c) {
  record["followers"] = c.followers;
  record["follows"] = c.follows;
  record["accounts"] = c.accounts;
}

Json to_json(const Draft& d) {
  Json j{{"id", d.id},
         {"domain", d.domain},
         {"change", to_string(d.kind)},
         {"severity", d.rule ? Json(federation::to_string(d.rule->severity)) : Json(nullptr)},
         {"reject_media", d.rule && d.rule->reject_media},
         {"reject_reports", d.rule && d.rule->reject_reports},
         {"public_comment", d.rule ? Json(d.rule->public_comment.value_or("")) : Json("")},
         {"held_by", d.held_by},
         {"state", d.rejected ? "rejected" : "pending"},
         {"created_at", util::format_time(d.created_at)}};
  add_json(j, d.consequences);
  return j;
}

}  // namespace instctl::subscriptions
