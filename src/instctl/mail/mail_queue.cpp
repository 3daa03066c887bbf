#include "instctl/mail/mail_queue.hpp"

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/mail/mail_store.hpp"

namespace instctl::mail {

const char* to_string(MailKind k) {
  switch (k) {
    case MailKind::invite:
      return "invite";
    case MailKind::approved:
      return "approved";
    case MailKind::rejected:
      return "rejected";
    case MailKind::welcome:
      return "welcome";
    case MailKind::moderation:
      return "moderation";
    case MailKind::report:
      return "report";
    case MailKind::pending:
      return "pending";
    case MailKind::password_reset:
      return "password_reset";
    case MailKind::waitlist_confirmation:
      return "waitlist_confirmation";
    case MailKind::digest:
      return "digest";
  }
  return "invite";
}

const char* to_string(StaffTopic t) {
  switch (t) {
    case StaffTopic::reports:
      return "reports";
    case StaffTopic::pending:
      return "pending";
    case StaffTopic::digest:
      return "digest";
  }
  return "none";
}

bool MailQueue::enabled() {
  instance::Settings s(m_env.db);
  return !s.get("mail.smtp_url").empty() && !s.get("mail.from").empty();
}

std::optional<std::int64_t> MailQueue::enqueue(MailKind kind, const std::string& recipient,
                                               const Composed& mail) {
  if (kind == MailKind::invite) {
    throw Error(ErrorKind::internal, "invite mails are queued by the invite service");
  }
  if (!enabled()) return std::nullopt;
  return MailStore(m_env.db).enqueue_composed(to_string(kind), recipient, mail.subject, mail.body,
                                              m_env.clock.now());
}

}  // namespace instctl::mail
