#pragma once

// The one way to queue a mail. Call it inside the transaction of what the mail is about: the
// mail is queued if and only if that commits, and the sender (`serve`'s mail worker,
// `waitlist process --send`, `invites send`) sends it exactly once per claim, retrying
// failures. The words come from a composer (users/account_mails.hpp, invites/invite_mail.hpp),
// which renders a template (mail_template.hpp). Staff notifications: users/notify.hpp.
//
//   mail::MailQueue(env).enqueue(mail::MailKind::password_reset, user.email,
//                                users::reset_message(site, user, url, expires_at));

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/mail/mail_template.hpp"

namespace instctl::mail {

// Every kind of mail (the `kind` column; `stats` counts by it).
enum class MailKind {
  invite,
  approved,
  rejected,
  welcome,
  moderation,
  report,
  pending,
  password_reset,
  waitlist_confirmation,
  digest
};
const char* to_string(MailKind k);

// What moderators and admins may be told as it happens (`users modify --notify`), or once a
// day (digest: both, summed up by overview/staff_digest.hpp).
enum class StaffTopic { reports, pending, digest };
const char* to_string(StaffTopic t);

class MailQueue {
 public:
  explicit MailQueue(Env& env) : m_env(env) {}

  // Whether the instance sends mail (mail.smtp_url and mail.from are set). Until it does,
  // nothing is queued: mails about what happened before would arrive late and out of place.
  bool enabled();

  // Queues `mail` to `recipient` when mail is enabled; returns the mail's id. An invite mail is
  // queued by the invite service (it is written from the invite when sent): Error(internal)
  // for it here.
  std::optional<std::int64_t> enqueue(MailKind kind, const std::string& recipient,
                                      const Composed& mail);

 private:
  Env& m_env;
};

}  // namespace instctl::mail
