#include "instctl/subscriptions/consensus.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/crypto/digest.hpp"

namespace instctl::subscriptions {

using federation::DomainRule;
using federation::Severity;

DomainRule capped(DomainRule rule, Severity cap) {
  rule.severity = std::min(rule.severity, cap);
  return rule;
}

std::optional<DomainRule> agreed_rule(const std::vector<DomainRule>& named, const Policy& policy) {
  std::vector<const DomainRule*> rules;
  rules.reserve(named.size());
  for (const auto& r : named) rules.push_back(&r);
  return agreed_rule_of(rules, policy);
}

std::optional<DomainRule> agreed_rule_of(const std::vector<const DomainRule*>& named,
                                         const Policy& policy) {
  if (named.empty() || static_cast<std::int64_t>(named.size()) < policy.threshold) {
    return std::nullopt;
  }
  DomainRule out;
  out.domain = named.front()->domain;
  out.severity = named.front()->severity;
  out.reject_media = !policy.strongest;
  out.reject_reports = !policy.strongest;
  out.obfuscate = false;
  for (const DomainRule* rule : named) {
    const DomainRule& r = *rule;
    out.severity =
        policy.strongest ? std::max(out.severity, r.severity) : std::min(out.severity, r.severity);
    if (policy.strongest) {
      out.reject_media = out.reject_media || r.reject_media;
      out.reject_reports = out.reject_reports || r.reject_reports;
    } else {
      out.reject_media = out.reject_media && r.reject_media;
      out.reject_reports = out.reject_reports && r.reject_reports;
    }
    out.obfuscate = out.obfuscate || r.obfuscate;
    if (!out.public_comment && r.public_comment && !r.public_comment->empty()) {
      out.public_comment = r.public_comment;
    }
  }
  return out;
}

bool same_rule(const DomainRule& a, const DomainRule& b) {
  return a.severity == b.severity && a.reject_media == b.reject_media &&
         a.reject_reports == b.reject_reports && a.obfuscate == b.obfuscate &&
         a.public_comment.value_or("") == b.public_comment.value_or("");
}

std::optional<DraftKind> decide(const std::optional<DomainRule>& current, bool owned,
                                const std::optional<DomainRule>& agreed) {
  if (current && !owned) return std::nullopt;  // a hand block
  if (!current) return agreed ? std::optional(DraftKind::block) : std::nullopt;
  if (!agreed) return DraftKind::retract;
  if (!same_rule(*current, *agreed)) return DraftKind::change;
  return std::nullopt;
}

std::string fingerprint(DraftKind kind, const std::optional<DomainRule>& rule,
                        const std::vector<std::int64_t>& holders) {
  std::string text = to_string(kind);
  if (rule) {
    text +=
        fmt::format("|{}|{}|{}|{}|{}", federation::to_string(rule->severity), rule->reject_media,
                    rule->reject_reports, rule->obfuscate, rule->public_comment.value_or(""));
  }
  for (const auto id : holders) text += fmt::format("|{}", id);
  return crypto::sha256_hex(text).substr(0, 16);
}

}  // namespace instctl::subscriptions
