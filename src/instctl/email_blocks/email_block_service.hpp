#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/email_blocks/email_block_store.hpp"

namespace instctl::email_blocks {

// Email domains refused for sign-ups through invites or the sign-up page, and for the
// waitlist. A block covers the domain's subdomains.
class EmailBlockService {
 public:
  explicit EmailBlockService(Env& env) : m_env(env), m_store(env.db) {}

  // All or nothing: an invalid or already blocked domain changes nothing.
  std::vector<EmailBlock> add(const std::vector<std::string>& domains);
  std::vector<EmailBlock> remove(const std::vector<std::string>& domains);
  std::vector<EmailBlock> list() { return m_store.list(); }

  // The block that covers an address at this domain (users::email_domain), if any.
  std::optional<std::string> blocking(std::string_view email_domain);
  // Throws Error(policy) naming the block when the address's domain is blocked.
  void require_allowed(std::string_view email_domain);

 private:
  Env& m_env;
  EmailBlockStore m_store;
};

// A domain name in lower case; Error(usage) when it is not one.
std::string normalize_block_domain(std::string_view domain);
Json to_json(const EmailBlock& b);

}  // namespace instctl::email_blocks
