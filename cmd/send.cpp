#include "send.hpp"

#include <fmt/format.h>

#include "instctl/util/strings.hpp"

namespace instctl::cli {

mail::MailConfig require_mail_settings(Context& ctx) { return mail::load_mail_config(ctx.db()); }

mail::SendReport send_mails(Context& ctx, const mail::MailConfig& config,
                            const std::vector<std::int64_t>& ids, bool all_unsent) {
  net::SmtpMailer mailer(config.smtp);
  mail::MailSender sender(ctx.env(), mailer, config);
  std::unique_ptr<ProgressBar> bar;
  auto progress = [&bar](std::size_t done, std::size_t total) {
    if (!bar) bar = std::make_unique<ProgressBar>("sending mail", total);
    bar->update(done);
  };
  auto report = all_unsent ? sender.send_unsent(mail::MailSender::Backoff::ignore, progress)
                           : sender.send(ids, progress);
  if (bar) bar->finish();
  return report;
}

void note_mail_report(Context& ctx, const mail::SendReport& r) {
  ctx.out().note(fmt::format("Mail: {} sent, {} failed, {} waiting to be sent ({}).", r.sent,
                             r.failed, r.unsent_left,
                             util::counted(r.connections, "SMTP connection")));
}

void fail_if_unsent(const mail::SendReport& r, std::string_view retry_hint) {
  if (r.failed == 0) return;
  throw ResultError(
      ErrorKind::remote,
      fmt::format("{} mail(s) could not be sent (first error: {}); they stay queued: {}", r.failed,
                  r.errors.empty() ? "unknown" : r.errors.front(), retry_hint));
}

}  // namespace instctl::cli
