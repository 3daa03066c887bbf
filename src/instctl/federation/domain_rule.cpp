#include "instctl/federation/domain_rule.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/instance_api.hpp"
#include "instctl/core/error.hpp"
#include "instctl/util/address.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::federation {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::noop:
      return "noop";
    case Severity::silence:
      return "silence";
    case Severity::suspend:
      return "suspend";
  }
  return "suspend";
}

Severity parse_severity(std::string_view s) {
  const auto l = util::to_lower(util::trim(s));
  if (l == "noop") return Severity::noop;
  // "limit" is the word Mastodon's interface uses for silence (its exports say silence).
  if (l == "silence" || l == "limit") return Severity::silence;
  if (l == "suspend") return Severity::suspend;
  throw Error(ErrorKind::usage,
              fmt::format("unknown severity '{}': use silence (or limit), suspend or noop", s));
}

bool DomainRule::stricter_than(const DomainRule& parent) const {
  if (severity == Severity::suspend) return true;
  if (parent.severity == Severity::suspend) return false;
  if (parent.severity == Severity::silence && severity == Severity::noop) return false;
  return (reject_media || !parent.reject_media) && (reject_reports || !parent.reject_reports);
}

std::string DomainRule::public_domain() const {
  return obfuscate ? activitypub::obfuscate_domain(domain) : domain;
}

Json to_json(const DomainRule& r) {
  return Json{{"domain", r.domain},
              {"severity", to_string(r.severity)},
              {"reject_media", r.reject_media},
              {"reject_reports", r.reject_reports},
              {"public_comment", r.public_comment.value_or("")},
              {"private_comment", r.private_comment.value_or("")},
              {"obfuscate", r.obfuscate}};
}

std::string normalize_rule_domain(std::string_view text) {
  std::string d = util::to_lower(util::trim(text));
  if (const auto scheme = d.find("://"); scheme != std::string::npos) {
    const auto url = util::parse_url(d);
    d = url ? url->host : "";
  }
  if (d.starts_with("*.")) d = d.substr(2);
  if (!d.empty() && d.back() == '.') d.pop_back();
  if (!util::is_dns_name(d, util::Underscores::allowed)) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is not a domain: give a host name such as bad.example "
                            "(international names in their xn-- form)",
                            text));
  }
  return d;
}

std::vector<std::string> domain_and_parents(std::string_view domain) {
  std::vector<std::string> out;
  std::string_view d = domain;
  while (!d.empty()) {
    out.emplace_back(d);
    const auto dot = d.find('.');
    if (dot == std::string_view::npos) break;
    d = d.substr(dot + 1);
  }
  return out;
}

}  // namespace instctl::federation
