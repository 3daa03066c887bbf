#pragma once

// Which mails a moderator or admin gets (`users modify --notify`): as things happen, a new
// report ("reports"), a sign-up waiting for approval ("pending"), both; or one mail a day about
// both ("digest", mail/staff_digest.hpp); or none. Stored in accounts.notify in canonical
// form; mail::MailQueue reads it.

#include <string>
#include <string_view>

namespace instctl::users {

// "reports,pending", "pending,reports", "reports", "pending" or "none" -> the canonical form
// ("reports,pending", "reports", "pending", "digest", "none"). Throws Error(usage) naming the
// accepted values.
std::string parse_notify(std::string_view text);

}  // namespace instctl::users
