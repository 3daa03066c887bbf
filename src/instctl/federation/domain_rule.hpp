#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::federation {

// Mastodon's block severities, weakest first.
enum class Severity { noop, silence, suspend };
const char* to_string(Severity s);
// Throws Error(usage) naming the accepted values.
Severity parse_severity(std::string_view s);

// A domain block. It covers the domain and all its subdomains.
struct DomainRule {
  std::int64_t id = 0;
  std::string domain;
  Severity severity = Severity::suspend;
  bool reject_media = false;
  bool reject_reports = false;
  bool obfuscate = false;
  std::optional<std::string> public_comment;  // nullopt and "" differ in Mastodon's CSV
  std::optional<std::string> private_comment;
  UnixTime created_at = 0;
  UnixTime updated_at = 0;

  // Mastodon's DomainBlock#stricter_than?: may this rule sit under `parent`?
  bool stricter_than(const DomainRule& parent) const;
  // The domain as the public API shows it: with obfuscate, the middle letters become '*'.
  std::string public_domain() const;
};

// SPEC.md's fields: domain, severity, reject_media, reject_reports, public_comment,
// private_comment, obfuscate (comments are "" when unset).
Json to_json(const DomainRule& r);

// A domain as rules store it: lower case, no trailing dot, no "*." prefix; a URL is reduced to
// its host. Throws Error(usage) for anything that is not a host name (IDNs: give the xn-- form).
std::string normalize_rule_domain(std::string_view text);

// The domain and each parent, most specific first: a.b.example -> a.b.example, b.example, example.
std::vector<std::string> domain_and_parents(std::string_view domain);

}  // namespace instctl::federation
