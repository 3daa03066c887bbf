#pragma once

// Sending invite mail from commands that take --send: settings checked before anything
// changes, a progress bar while sending, and the exit code when some mail stayed unsent.

#include <optional>
#include <vector>

#include "cli.hpp"
#include "instctl/mail/mail_sender.hpp"

namespace instctl::cli {

// The mail settings; exit 2 naming the missing ones. Call before changing anything.
mail::MailConfig require_mail_settings(Context& ctx);
// Sends these mails, or every unsent one when `ids` is empty and `all_unsent` is set.
mail::SendReport send_mails(Context& ctx, const mail::MailConfig& config,
                            const std::vector<std::int64_t>& ids, bool all_unsent);
// A sentence for people about the report (stderr, table format).
void note_mail_report(Context& ctx, const mail::SendReport& report);
// After the results were printed: exit 7 when some mail was not sent.
void fail_if_unsent(const mail::SendReport& report, std::string_view retry_hint);

}  // namespace instctl::cli
