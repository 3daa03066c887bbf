#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace instctl::users {

// A USER or ACCT argument as typed: username, @username, username@<local domain>, an email
// address, id:N, or (ACCT) user@remote.domain / @user@remote.domain.
struct UserRef {
  enum class Kind { id, local_username, email, remote_acct };
  Kind kind = Kind::local_username;
  std::int64_t id = 0;
  std::string username;
  std::string domain;  // remote_acct
  std::string email;
  std::string text;  // as typed, for messages
};

// `local_domains` are the instance's account and web domains (handles on either are local).
// An x@y form whose domain is not local is an email address when `remote_allowed` is false,
// and a remote account otherwise. Throws Error(usage) for malformed input.
UserRef parse_user_ref(std::string_view text, std::string_view account_domain,
                       std::string_view web_domain, bool remote_allowed);

}  // namespace instctl::users
