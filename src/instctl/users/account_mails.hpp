#pragma once

// The words of every mail about an account, each from its template (mail/templates/, rendered
// by mail/mail_template.hpp): to the
// person (sign-up approved or rejected, welcome, a moderation action, a password reset) and to
// moderators and admins (a new report, a sign-up waiting for approval). Pure: they read
// nothing; the caller queues the result with MailQueue::enqueue.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/mail/mail_template.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

using mail::Composed;
using mail::Site;

Composed approved_message(const Site& site, const User& user);
Composed rejected_message(const Site& site, const User& user);
// After activation or sign-up: the handle and what to do next.
Composed welcome_message(const Site& site, const User& user);

// A moderation action on the person's account: what was done (`action`: warn, silence,
// suspend, disable), the moderator's text, the rules it is about, when, and how to reach the
// moderators.
struct ModerationNotice {
  std::string action;
  std::optional<std::string> text;
  std::vector<std::string> rules;
  UnixTime at = 0;
};
Composed moderation_message(const Site& site, const User& user, const ModerationNotice& n);

// To a moderator or admin (`to`): a new report.
struct ReportNotice {
  std::int64_t id = 0;
  std::string target;    // acct of the reported account
  std::string reporter;  // acct, actor URI or "" (filed by the operator)
  std::string category;
  std::string comment;
  std::vector<std::string> rules;
  UnixTime at = 0;
};
Composed report_message(const Site& site, const User& to, const ReportNotice& n);
// To a moderator or admin (`to`): `newcomer` signed up and waits for approval.
Composed pending_message(const Site& site, const User& to, const User& newcomer);

// A password reset: the link (`url`, with its token) and until when it works.
Composed reset_message(const Site& site, const User& user, const std::string& url,
                       UnixTime expires_at);

}  // namespace instctl::users
