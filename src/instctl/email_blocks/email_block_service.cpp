#include "instctl/email_blocks/email_block_service.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/util/address.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::email_blocks {

std::string normalize_block_domain(std::string_view raw) {
  std::string d = util::to_lower(util::trim(raw));
  if (!d.empty() && d.front() == '@') d.erase(0, 1);
  if (!util::is_dns_name(d)) {
    throw Error(
        ErrorKind::usage,
        fmt::format("'{}' is not an email domain: give a domain such as spam.example", raw));
  }
  return d;
}

Json to_json(const EmailBlock& b) {
  return Json{{"domain", b.domain}, {"created_at", util::format_time(b.created_at)}};
}

std::vector<EmailBlock> EmailBlockService::add(const std::vector<std::string>& domains) {
  std::vector<std::string> clean;
  for (const auto& d : domains) clean.push_back(normalize_block_domain(d));
  db::Transaction tx(m_env.db);
  std::vector<EmailBlock> out;
  for (const auto& d : clean) {
    if (m_store.exists(d)) {
      throw Error(ErrorKind::conflict, fmt::format("the email domain {} is already blocked", d));
    }
    m_store.insert(d, m_env.clock.now());
    audit::record(m_env, "email_blocks.add", "email_domain:" + d);
    out.push_back({d, m_env.clock.now()});
  }
  tx.commit();
  return out;
}

std::vector<EmailBlock> EmailBlockService::remove(const std::vector<std::string>& domains) {
  std::vector<std::string> clean;
  for (const auto& d : domains) clean.push_back(normalize_block_domain(d));
  db::Transaction tx(m_env.db);
  std::vector<EmailBlock> out;
  for (const auto& d : clean) {
    if (!m_store.remove(d)) {
      throw Error(ErrorKind::not_found,
                  fmt::format("the email domain {} is not blocked; 'instctl email-blocks list' "
                              "shows the blocks",
                              d));
    }
    audit::record(m_env, "email_blocks.remove", "email_domain:" + d);
    out.push_back({d, m_env.clock.now()});
  }
  tx.commit();
  return out;
}

std::optional<std::string> EmailBlockService::blocking(std::string_view email_domain) {
  std::string domain(email_domain);
  std::vector<std::string> candidates;
  while (!domain.empty()) {
    candidates.push_back(domain);
    const auto dot = domain.find('.');
    domain = dot == std::string::npos ? "" : domain.substr(dot + 1);
  }
  return m_store.first_blocked(candidates);
}

void EmailBlockService::require_allowed(std::string_view email_domain) {
  if (auto block = blocking(email_domain)) {
    throw Error(ErrorKind::policy,
                Problems{{"email",
                          fmt::format("addresses at {} are refused: the email domain {} is blocked "
                                      "('instctl email-blocks remove {}' lifts the block)",
                                      email_domain, *block, *block),
                          "Addresses at this email domain cannot sign up here."}});
  }
}

}  // namespace instctl::email_blocks
