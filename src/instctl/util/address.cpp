#include "instctl/util/address.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/util/strings.hpp"

namespace instctl::util {

namespace {

constexpr std::size_t k_max_email = 254;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_dns_name(std::string_view name, Underscores underscores) {
  if (name.empty() || name.size() > 253) return false;
  for (const auto& label : split(name, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    const bool ok = std::all_of(label.begin(), label.end(), [&](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
             (c == '_' && underscores == Underscores::allowed);
    });
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> email_problem(std::string_view e, EmailDomain domain_rule) {
  if (e.empty()) return "the email address is empty";
  if (e.size() > k_max_email) return "the email address is longer than 254 characters";
  const auto at = e.rfind('@');
  if (at == std::string_view::npos) return fmt::format("'{}' is not an email address (no @)", e);
  const auto local = e.substr(0, at);
  const auto domain = e.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return fmt::format("'{}' is not an email address (bad part before @)", e);
  }
  for (const char c : local) {
    const bool ok = is_ascii_alnum(c) ||
                    std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
    if (!ok) return fmt::format("'{}' is not an email address (bad character before @)", e);
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return fmt::format("'{}' is not an email address (misplaced dot)", e);
  }
  if (domain_rule == EmailDomain::dotted && domain.find('.') == std::string_view::npos) {
    return fmt::format("'{}' is not an email address (the domain has no dot)", e);
  }
  if (!is_dns_name(to_lower(domain)))
    return fmt::format("'{}' is not an email address (bad domain)", e);
  return std::nullopt;
}

}  // namespace instctl::util
