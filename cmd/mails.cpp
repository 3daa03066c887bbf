// instctl mails: the mail queue's work that cron may run (serve's mail worker does the same).

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/overview/staff_digest.hpp"
#include "instctl/util/strings.hpp"
#include "send.hpp"

namespace instctl::cli {
namespace {

void setup_mails(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "mails", "Work of the mail queue for cron (serve does it too)");
  auto* digest = group->add_subcommand(
      "digest", "Queue and send the daily digests due to moderators and admins who chose them");
  digest->callback([&ctx] {
    const auto config = require_mail_settings(ctx);  // exit 2 naming what is missing
    const auto run = overview::StaffDigest(ctx.env()).queue_due();
    mail::SendReport report;
    if (!run.mail_ids.empty()) report = send_mails(ctx, config, run.mail_ids, false);
    Json result{
        {"due", run.claimed}, {"queued", run.mail_ids.size()}, {"mail", mail::to_json(report)}};
    ctx.out().item(result, View{{"due", "queued"}, "due", ""});
    ctx.out().note(fmt::format("{} due, {} queued; {} sent.", util::counted(run.claimed, "digest"),
                               run.mail_ids.size(), report.sent));
    fail_if_unsent(report, "serve's mail worker or the next 'instctl mails digest' retries them");
  });
}

}  // namespace

INSTCTL_COMMAND_GROUP(49, "mails", setup_mails);

}  // namespace instctl::cli
