#include "instctl/waitlist/entry.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/time.hpp"

namespace instctl::waitlist {

const char* to_string(EntryStatus s) {
  switch (s) {
    case EntryStatus::waiting:
      return "waiting";
    case EntryStatus::invited:
      return "invited";
    case EntryStatus::joined:
      return "joined";
    case EntryStatus::rejected:
      return "rejected";
  }
  return "waiting";
}

EntryStatus parse_status(std::string_view s) {
  for (auto st :
       {EntryStatus::waiting, EntryStatus::invited, EntryStatus::joined, EntryStatus::rejected}) {
    if (s == to_string(st)) return st;
  }
  throw Error(
      ErrorKind::usage,
      fmt::format("unknown waitlist status '{}': use waiting, invited, joined, rejected or all",
                  s));
}

Json to_json(const Entry& e) {
  auto opt_time = [](const std::optional<UnixTime>& t) {
    return t ? Json(util::format_time(*t)) : Json(nullptr);
  };
  auto opt_text = [](const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); };
  return Json{{"id", e.id},
              {"email", e.email},
              {"username", opt_text(e.username)},
              {"status", to_string(e.status)},
              {"position", e.position ? Json(*e.position) : Json(nullptr)},
              {"invite_code", opt_text(e.invite_code)},
              {"created_at", util::format_time(e.created_at)},
              {"priority", e.priority},
              {"reason", e.reason},
              {"source", e.source},
              {"reject_reason", opt_text(e.reject_reason)},
              {"invited_at", opt_time(e.invited_at)},
              {"joined_at", opt_time(e.joined_at)},
              {"rejected_at", opt_time(e.rejected_at)},
              {"confirmed", e.confirmed_at.has_value()},
              {"confirmed_at", opt_time(e.confirmed_at)}};
}

}  // namespace instctl::waitlist
