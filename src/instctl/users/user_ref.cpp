#include "instctl/users/user_ref.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/row_id.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

UserRef parse_user_ref(std::string_view raw, std::string_view account_domain,
                       std::string_view web_domain, bool remote_allowed) {
  UserRef ref;
  ref.text = std::string(raw);
  std::string_view s = util::trim(raw);
  if (s.empty()) throw Error(ErrorKind::usage, "an empty user argument: give a username");
  if (s.substr(0, 3) == "id:") {
    const auto id = util::parse_id(s.substr(3));
    if (!id) throw Error(ErrorKind::usage, fmt::format("'{}' is not a user id: use id:N", raw));
    ref.kind = UserRef::Kind::id;
    ref.id = *id;
    return ref;
  }
  const bool leading_at = s.front() == '@';
  if (leading_at) s.remove_prefix(1);
  if (s.empty()) throw Error(ErrorKind::usage, "'@' alone is not a user: give @username");
  const auto at = s.find('@');
  if (at == std::string_view::npos) {
    ref.kind = UserRef::Kind::local_username;
    ref.username = std::string(s);
    return ref;
  }
  const auto name = s.substr(0, at);
  const auto domain = util::to_lower(s.substr(at + 1));
  if (name.empty() || domain.empty() || domain.find('@') != std::string::npos) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is not a user: use username, @username, user@domain, an email "
                            "address or id:N",
                            raw));
  }
  if (domain == util::to_lower(account_domain) || domain == util::to_lower(web_domain)) {
    ref.kind = UserRef::Kind::local_username;
    ref.username = std::string(name);
    return ref;
  }
  if (remote_allowed || leading_at) {
    ref.kind = UserRef::Kind::remote_acct;
    ref.username = std::string(name);
    ref.domain = domain;
    return ref;
  }
  ref.kind = UserRef::Kind::email;
  ref.email = std::string(s);
  return ref;
}

}  // namespace instctl::users
