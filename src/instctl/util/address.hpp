#pragma once

// The pure checks of names people and servers give: DNS names and email addresses. One rule
// each, for every layer (settings, accounts, invites, the waitlist, domain rules, sign-up).

#include <optional>
#include <string>
#include <string_view>

namespace instctl::util {

enum class Underscores { refused, allowed };

// A DNS name in lower case: at most 253 characters, labels of 1-63 letters, digits and '-'
// (and '_' when allowed, as some real hosts have), no label starting or ending with '-'.
// International names are given in their xn-- form.
bool is_dns_name(std::string_view name, Underscores underscores = Underscores::refused);

// Whether an address's domain must have a dot: an account's address must (a person's mailbox
// on the internet), an operator's own sender or contact may be on a local host (mods@localhost).
enum class EmailDomain { dotted, any_host };

// Why `email` (already trimmed, domain in lower case) is not an address mail can be sent to, or
// nothing: at most 254 characters; a local part of 1-64 letters, digits and
// !#$%&'*+-/=?^_`{|}~. without a leading, trailing or doubled dot; one '@' before a DNS name.
std::optional<std::string> email_problem(std::string_view email,
                                         EmailDomain domain = EmailDomain::dotted);

}  // namespace instctl::util
