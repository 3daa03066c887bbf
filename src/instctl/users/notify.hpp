#pragma once

// Which mails a moderator or admin gets (`users modify --notify`): as things happen, a new
// report ("reports"), a sign-up waiting for approval ("pending"), both; or one mail a day about
// both ("digest", overview/staff_digest.hpp); or none. Stored in accounts.notify in canonical
// form; staff_for reads it.

#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

// "reports,pending", "pending,reports", "reports", "pending" or "none" -> the canonical form
// ("reports,pending", "reports", "pending", "digest", "none"). Throws Error(usage) naming the
// accepted values.
std::string parse_notify(std::string_view text);

// The active local moderators and admins with an address who chose `topic`: the only people a
// notification or a digest goes to.
std::vector<User> staff_for(Env& env, mail::StaffTopic topic);

// Queues one mail to each of staff_for(topic), written for each by `compose(const User& to)`
// -> mail::Composed, when mail is enabled. Never to any other address. Returns how many.
template <class F>
std::size_t notify_staff(Env& env, mail::StaffTopic topic, F compose) {
  mail::MailQueue queue(env);
  if (!queue.enabled()) return 0;
  const auto kind =
      topic == mail::StaffTopic::reports ? mail::MailKind::report : mail::MailKind::pending;
  std::size_t n = 0;
  for (const auto& r : staff_for(env, topic)) {
    queue.enqueue(kind, *r.email, compose(r));
    ++n;
  }
  return n;
}

}  // namespace instctl::users
