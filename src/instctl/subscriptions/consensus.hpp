#pragma once

// The rules of subscriptions for one domain, without a database: the cap, the consensus
// across lists, and what to do about the domain's current block.

#include <optional>
#include <string>
#include <vector>

#include "instctl/federation/domain_rule.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

// The rule with its severity lowered to the list's cap.
federation::DomainRule capped(federation::DomainRule rule, federation::Severity cap);

// What the lists naming a domain agree on: nothing when fewer than the threshold name it.
// Severity: the weakest among them (or the strongest); reject_media and reject_reports: all
// of them (any, with strongest); obfuscate: any; the public comment: the first list's that has
// one (lists in subscription order).
std::optional<federation::DomainRule> agreed_rule(const std::vector<federation::DomainRule>& named,
                                                  const Policy& policy);
// The same over rules kept elsewhere (a refresh's entries, not copied per domain).
std::optional<federation::DomainRule> agreed_rule_of(
    const std::vector<const federation::DomainRule*>& named, const Policy& policy);

// Whether two rules block alike (severity, flags, public comment).
bool same_rule(const federation::DomainRule& a, const federation::DomainRule& b);

// What the lists ask of a domain. `current` is its block, `owned` whether subscriptions made
// it. A block made by hand is never touched (nothing); a block the lists no longer agree on is
// retracted only when subscriptions made it.
std::optional<DraftKind> decide(const std::optional<federation::DomainRule>& current, bool owned,
                                const std::optional<federation::DomainRule>& agreed);

// What a rejection is remembered against: the change and the lists behind it.
std::string fingerprint(DraftKind kind, const std::optional<federation::DomainRule>& rule,
                        const std::vector<std::int64_t>& holders);

}  // namespace instctl::subscriptions
