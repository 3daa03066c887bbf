#pragma once

// Which mails a moderator or admin gets as things happen (`users modify --notify`): a new
// report ("reports"), a sign-up waiting for approval ("pending"), both, or none. Stored in
// accounts.notify in canonical form; mail::MailQueue::notify_staff reads it.

#include <string>
#include <string_view>

namespace instctl::users {

// "reports,pending", "pending,reports", "reports", "pending" or "none" -> the canonical form
// ("reports,pending", "reports", "pending", "none"). Throws Error(usage) naming the accepted
// values; "digest" is refused with a sentence saying it is not available yet.
std::string parse_notify(std::string_view text);

}  // namespace instctl::users
