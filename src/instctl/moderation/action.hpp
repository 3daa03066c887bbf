#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace instctl::moderation {

// What a moderator does to an account. `none` resolves a report without touching the
// account; `warn` only records a strike; the others also change the account's state.
enum class Action { none, warn, disable, silence, suspend, unsuspend, unsilence, enable };

const char* to_string(Action a);
// The actions `reports resolve --action` accepts; throws Error(usage) naming them.
Action parse_resolve_action(std::string_view s);

// Whether the action is recorded as a strike against the account, and resolves every open
// report against it (as Mastodon does): warn, disable, silence, suspend.
bool is_strike(Action a);
// Whether the action needs a reason: suspend and silence, whose strike tells the account why
// (warn and disable may go without one).
bool requires_reason(Action a);
// Throws Error(usage) when `a` needs a reason and `reason` is missing or blank.
void require_reason(Action a, const std::optional<std::string>& reason);
// Whether the action applies to remote accounts (silence and suspend, and their reversals).
bool applies_to_remote(Action a);

}  // namespace instctl::moderation
