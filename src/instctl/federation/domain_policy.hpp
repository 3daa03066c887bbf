#pragma once

// What the instance's federation policy says about a remote domain. Everything that talks to
// or hears from another instance asks here: look-ups, deliveries, the inbox, remote reports.
// Reads go to the database every time, so a block made with the CLI applies at once in a
// running `serve`.
//
//   federation::DomainPolicy policy(db);
//   policy.require_federates("bad.example");   // throws Error(policy), exit 8, when suspended
//   if (policy.rejects_reports(domain)) ...

#include <optional>
#include <string>
#include <string_view>

#include "instctl/db/connection.hpp"
#include "instctl/federation/domain_rule.hpp"

namespace instctl::federation {

class DomainPolicy {
 public:
  explicit DomainPolicy(db::Connection& db) : m_db(db) {}

  // The block on the domain or its closest parent (the most specific rule wins).
  std::optional<DomainRule> rule_for(std::string_view domain) const;
  bool allowlist_mode() const;
  // In allowlist mode: whether the domain (or a parent) is allowed. Always true otherwise.
  bool allowed(std::string_view domain) const;
  // Suspended domains are never contacted and never heard: a suspend block, or a domain that
  // is not allowed in allowlist mode.
  bool is_suspended(std::string_view domain) const;
  bool rejects_reports(std::string_view domain) const;
  // The block state for listings: "suspend", "silence", "noop", "not allowed" or "".
  std::string state(std::string_view domain) const;
  // Throws Error(policy) naming the rule when the domain is suspended.
  void require_federates(std::string_view domain) const;

 private:
  db::Connection& m_db;
};

// The host of a domain that may carry a port (localhost:8080 -> localhost).
std::string domain_host(std::string_view domain);

}  // namespace instctl::federation
