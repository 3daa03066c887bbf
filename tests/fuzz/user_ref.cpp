// The USER and ACCT arguments of commands: username, @username, user@<local domain>, an email
// address, id:N, and for ACCT a remote user@domain; and the acct: form of federation lookup.
//
// Input: the first byte says whether remote accounts are allowed (ACCT) or not (USER); the
// rest is the argument.

#include "instctl/users/user_ref.hpp"

#include "fuzz_support.hpp"
#include "instctl/activitypub/webfinger_parse.hpp"
#include "instctl/core/error.hpp"

using namespace instctl;
using users::UserRef;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool remote_allowed = (data[0] & 1) != 0;
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  try {
    const auto ref = users::parse_user_ref(text, "example", "social.example", remote_allowed);
    switch (ref.kind) {
      case UserRef::Kind::id:
        fuzz::require(ref.id > 0, "an id is positive");
        break;
      case UserRef::Kind::local_username:
        fuzz::require(!ref.username.empty(), "a local user has a name");
        break;
      case UserRef::Kind::email:
        fuzz::require(!remote_allowed && ref.email.find('@') != std::string::npos,
                      "an email address");
        break;
      case UserRef::Kind::remote_acct:
        fuzz::require(!ref.username.empty() && !ref.domain.empty(),
                      "a remote account has both parts");
        break;
    }
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::usage, "a malformed argument is a usage error");
  }
  if (const auto acct = activitypub::parse_acct(text)) {
    fuzz::require(!acct->username.empty() && !acct->domain.empty(), "an acct has both parts");
  }
  return 0;
}
