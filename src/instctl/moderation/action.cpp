#include "instctl/moderation/action.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::moderation {

const char* to_string(Action a) {
  switch (a) {
    case Action::none:
      return "none";
    case Action::warn:
      return "warn";
    case Action::disable:
      return "disable";
    case Action::silence:
      return "silence";
    case Action::suspend:
      return "suspend";
    case Action::unsuspend:
      return "unsuspend";
    case Action::unsilence:
      return "unsilence";
    case Action::enable:
      return "enable";
  }
  return "none";
}

Action parse_resolve_action(std::string_view s) {
  for (Action a : {Action::none, Action::warn, Action::disable, Action::silence, Action::suspend}) {
    if (s == to_string(a)) return a;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown action '{}': use none, warn, disable, silence or suspend", s));
}

bool is_strike(Action a) {
  return a == Action::warn || a == Action::disable || a == Action::silence || a == Action::suspend;
}

bool requires_reason(Action a) { return a == Action::suspend || a == Action::silence; }

void require_reason(Action a, const std::optional<std::string>& reason) {
  if (!requires_reason(a)) return;
  if (reason && !util::trim(*reason).empty()) return;
  throw Error(ErrorKind::usage,
              fmt::format("{} needs a reason, kept with the strike and shown to the account: give "
                          "--reason TEXT",
                          to_string(a)),
              "reason");
}

bool applies_to_remote(Action a) {
  return a == Action::none || a == Action::silence || a == Action::suspend ||
         a == Action::unsilence || a == Action::unsuspend;
}

}  // namespace instctl::moderation
