#include "instctl/federation/domain_policy.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/federation/domain_store.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

std::string domain_host(std::string_view domain) {
  std::string d = util::to_lower(domain);
  if (!d.empty() && d.front() == '[') return d.substr(0, d.find(']') + 1);
  return d.substr(0, d.find(':'));
}

std::optional<DomainRule> DomainPolicy::rule_for(std::string_view domain) const {
  return DomainStore(m_db).most_specific_block(domain_host(domain));
}

bool DomainPolicy::allowlist_mode() const {
  return instance::Settings(m_db).get("federation.mode") == "allowlist";
}

bool DomainPolicy::allowed(std::string_view domain) const {
  return !allowlist_mode() || DomainStore(m_db).allowed(domain_host(domain));
}

bool DomainPolicy::is_suspended(std::string_view domain) const {
  const auto rule = rule_for(domain);
  return (rule && rule->severity == Severity::suspend) || !allowed(domain);
}

bool DomainPolicy::rejects_reports(std::string_view domain) const {
  const auto rule = rule_for(domain);
  return rule && (rule->reject_reports || rule->severity == Severity::suspend);
}

std::string DomainPolicy::state(std::string_view domain) const {
  if (const auto rule = rule_for(domain)) return to_string(rule->severity);
  return allowed(domain) ? "" : "not allowed";
}

void DomainPolicy::require_federates(std::string_view domain) const {
  if (const auto rule = rule_for(domain); rule && rule->severity == Severity::suspend) {
    throw Error(ErrorKind::policy,
                fmt::format("{} is suspended by the domain block on {}: it is never contacted "
                            "('instctl federation unblock {}' lifts it)",
                            domain, rule->domain, rule->domain));
  }
  if (!allowed(domain)) {
    throw Error(ErrorKind::policy, fmt::format("{} is not allowed: federation.mode is allowlist "
                                               "('instctl federation allow {}' allows it)",
                                               domain, domain_host(domain)));
  }
}

}  // namespace instctl::federation
