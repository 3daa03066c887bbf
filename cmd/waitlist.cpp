// instctl waitlist: people queueing for an invite, and the cron job that admits them.

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/expiry.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/waitlist/import_file.hpp"
#include "instctl/waitlist/waitlist_service.hpp"
#include "send.hpp"

namespace instctl::cli {
namespace {

using waitlist::WaitlistService;

const View k_waitlist_view{{"position", "id", "email", "username", "status", "confirmed",
                            "priority", "invite_code", "created_at"},
                           "email",
                           "waitlist entries"};
const View k_admitted_view{
    {"id", "email", "status", "invite_code", "invite_url", "mail"}, "invite_url", "admissions"};

Json rows(const std::vector<waitlist::Entry>& list) {
  Json out = Json::array();
  for (const auto& e : list) out.push_back(waitlist::to_json(e));
  return out;
}

struct AdmitCommon {
  std::optional<std::string> expires_in;
  bool send = false;
};

void add_admit_options(CLI::App* cmd, AdmitCommon& o) {
  cmd->add_option("--expires-in", o.expires_in,
                  "The invites expire after DURATION (30m, 12h, 7d, 2w)");
  cmd->add_flag("--send", o.send, "Email each invite (needs mail.smtp_url and mail.from)");
}

// Admissions with their invite links and mail state, then the mail report and exit code.
void print_admissions(Context& ctx, const std::vector<waitlist::Admission>& admitted,
                      const std::optional<mail::SendReport>& report) {
  invites::InviteService invites(ctx.env());
  std::set<std::int64_t> sent(
      report ? report->sent_ids.begin() : std::vector<std::int64_t>::const_iterator{},
      report ? report->sent_ids.end() : std::vector<std::int64_t>::const_iterator{});
  Json out = Json::array();
  for (const auto& a : admitted) {
    Json j = waitlist::to_json(a.entry);
    j["invite_url"] = invites.url(a.invite);
    j["mail"] = !a.mail_id ? Json(nullptr) : Json(sent.count(*a.mail_id) ? "sent" : "unsent");
    out.push_back(j);
  }
  ctx.out().list(out, k_admitted_view);
  if (!admitted.empty()) {
    ctx.out().note(fmt::format("Admitted {}: each has a single-use invite bound to their address.",
                               field_list(out, "email")));
  }
  if (report) {
    note_mail_report(ctx, *report);
    fail_if_unsent(*report, "the next 'instctl waitlist process --send' retries them");
  }
}

void run_admission(
    Context& ctx, const AdmitCommon& o,
    const std::function<std::vector<waitlist::Admission>(const waitlist::AdmitOptions&)>& admit) {
  std::optional<mail::MailConfig> config;
  if (o.send) config = require_mail_settings(ctx);  // before anything changes
  waitlist::AdmitOptions opts;
  opts.expires_at = parse_expiry(o.expires_in, std::nullopt, ctx.clock().now());
  opts.queue_mail = o.send;
  const auto admitted = admit(opts);
  std::optional<mail::SendReport> report;
  if (config) report = send_mails(ctx, *config, {}, true);
  print_admissions(ctx, admitted, report);
}

void setup_waitlist_add(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<waitlist::AddRequest>();
  auto* cmd = group->add_subcommand("add", "Put someone on the waitlist");
  cmd->add_option("EMAIL", o->email, "Their email address")->required();
  cmd->add_option("--username", o->username, "The username they would like");
  cmd->add_option("--reason", o->reason, "Why they want to join");
  cmd->add_option("--source", o->source, "Where they came from (a campaign, a partner)");
  cmd->add_option("--priority", o->priority, "Higher goes first (default 0)");
  cmd->callback([&ctx, o] {
    WaitlistService svc(ctx.env());
    const auto e = svc.add(*o);
    ctx.out().item(waitlist::to_json(e), k_waitlist_view);
    ctx.out().note(fmt::format("{} is number {} in the queue.", e.email, e.position.value_or(0)));
  });
}

void setup_waitlist_queries(CLI::App* group, Context& ctx) {
  struct ListOptions {
    std::string status = "waiting";
    std::int64_t limit = 0;
  };
  auto lo = std::make_shared<ListOptions>();
  auto* list =
      group->add_subcommand("list", "List entries in queue order (priority, then time joined)");
  list->add_option("--status", lo->status, "waiting (default), invited, joined, rejected or all")
      ->check(CLI::IsMember({"waiting", "invited", "joined", "rejected", "all"}));
  list->add_option("--limit", lo->limit, "At most N entries (0: all)");
  list->callback([&ctx, lo] {
    std::optional<waitlist::EntryStatus> status;
    if (lo->status != "all") status = waitlist::parse_status(lo->status);
    WaitlistService svc(ctx.env());
    ctx.out().list(rows(svc.list(status, lo->limit)), k_waitlist_view);
  });

  auto ref = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "One entry, with its position in the queue");
  show->add_option("ENTRY", *ref, "Email address or id")->required();
  show->callback([&ctx, ref] {
    WaitlistService svc(ctx.env());
    ctx.out().item(waitlist::to_json(svc.find(*ref)), k_waitlist_view);
  });

  auto* stats =
      group->add_subcommand("stats", "The funnel: waiting, invited, joined, rejected, conversion");
  stats->callback([&ctx] {
    WaitlistService svc(ctx.env());
    Json funnel = svc.stats();
    if (ctx.out().format() == Format::table) {
      // Trends as sparklines, oldest day first, so they read at a glance.
      for (const char* key : {"joins_per_day", "registered_per_day"}) {
        std::int64_t total = 0;
        for (const auto& v : funnel[key]) total += v.get<std::int64_t>();
        funnel[key] = fmt::format("{}  {} in 30 days", sparkline(funnel[key]), total);
      }
    }
    ctx.out().item(funnel, View{{}, "waiting", ""});
  });
}

void setup_waitlist_admission(CLI::App* group, Context& ctx) {
  struct AdmitOptions : AdmitCommon {
    std::vector<std::string> refs;
  };
  auto ao = std::make_shared<AdmitOptions>();
  auto* admit = group->add_subcommand(
      "admit", "Give waiting entries a single-use invite bound to their address");
  admit->add_option("ENTRY", ao->refs, "Email addresses or ids")->required();
  add_admit_options(admit, *ao);
  admit->callback([&ctx, ao] {
    run_admission(ctx, *ao, [&](const waitlist::AdmitOptions& opts) {
      return WaitlistService(ctx.env()).admit(ao->refs, opts);
    });
  });

  struct ProcessOptions : AdmitCommon {
    std::int64_t batch = 0;
    bool dry_run = false;
  };
  auto po = std::make_shared<ProcessOptions>();
  auto* process = group->add_subcommand(
      "process",
      "The cron job: admit the next N waiting entries in queue order (safe to run concurrently)");
  process
      ->add_option("--batch", po->batch,
                   "How many entries to admit (0 with --send: only retry unsent mail)")
      ->required();
  add_admit_options(process, *po);
  process->add_flag("--dry-run", po->dry_run, "Show who would be admitted; change nothing");
  process->callback([&ctx, po] {
    if (po->batch < 0) throw Error(ErrorKind::usage, "--batch must not be negative");
    if (po->dry_run) {
      if (po->send) require_mail_settings(ctx);
      ctx.out().list(rows(WaitlistService(ctx.env()).next(po->batch)), k_waitlist_view);
      return;
    }
    // Entries not confirmed in time leave first: they were never in line.
    const auto expired = WaitlistService(ctx.env()).purge_unconfirmed();
    if (!expired.empty()) {
      ctx.out().note(
          fmt::format("Removed {} not confirmed within waitlist.confirm_within ({}).",
                      util::counted(expired.size(), "unconfirmed entry", "unconfirmed entries"),
                      util::and_list(expired)));
    }
    run_admission(ctx, *po, [&](const waitlist::AdmitOptions& opts) {
      std::unique_ptr<ProgressBar> bar;
      auto progress = [&bar, &po](std::size_t done, std::size_t) {
        if (!bar)
          bar = std::make_unique<ProgressBar>("admitting", static_cast<std::size_t>(po->batch));
        bar->update(done);
      };
      auto out = WaitlistService(ctx.env()).process(po->batch, opts, progress);
      if (bar) bar->finish();
      return out;
    });
  });
}

void setup_waitlist_changes(CLI::App* group, Context& ctx) {
  struct RejectOptions {
    std::vector<std::string> refs;
    std::optional<std::string> reason;
  };
  auto ro = std::make_shared<RejectOptions>();
  auto* reject = group->add_subcommand("reject", "Reject waiting entries");
  reject->add_option("ENTRY", ro->refs, "Email addresses or ids")->required();
  reject->add_option("--reason", ro->reason, "Why (kept with the entry and in the audit log)");
  reject->callback([&ctx, ro] {
    WaitlistService svc(ctx.env());
    const auto r = rows(svc.reject(ro->refs, ro->reason));
    ctx.out().list(r, k_waitlist_view);
    if (!r.empty()) ctx.out().note(fmt::format("Rejected {}.", field_list(r, "email")));
  });

  auto refs = std::make_shared<std::vector<std::string>>();
  auto* remove = group->add_subcommand("remove", "Delete entries (the address may join again)");
  remove->add_option("ENTRY", *refs, "Email addresses or ids")->required();
  remove->callback([&ctx, refs] {
    WaitlistService svc(ctx.env());
    const auto r = rows(svc.remove(*refs));
    ctx.out().list(r, k_waitlist_view);
    if (!r.empty())
      ctx.out().note(fmt::format("Removed {} from the waitlist (they may join again).",
                                 field_list(r, "email")));
  });
}

std::string read_input(const std::string& file) {
  std::ostringstream buf;
  if (file == "-") {
    buf << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, fmt::format("cannot read {}: check the path", file));
    buf << in.rdbuf();
  }
  return buf.str();
}

void setup_waitlist_import(CLI::App* group, Context& ctx) {
  auto file = std::make_shared<std::string>();
  auto* cmd =
      group->add_subcommand("import", "Add many entries from a CSV file or a list of addresses");
  cmd->add_option("FILE", *file,
                  "CSV with a header (email,username,reason,source,priority), or - for stdin")
      ->required();
  cmd->callback([&ctx, file] {
    std::vector<waitlist::ImportProblem> problems;
    const auto parsed = waitlist::parse_import_file(read_input(*file), problems);
    WaitlistService svc(ctx.env());
    std::unique_ptr<ProgressBar> bar;
    auto report = svc.import(parsed, [&bar](std::size_t done, std::size_t total) {
      if (!bar) bar = std::make_unique<ProgressBar>("importing", total);
      bar->update(done);
    });
    if (bar) bar->finish();
    problems.insert(problems.end(), report.problems.begin(), report.problems.end());
    std::sort(problems.begin(), problems.end(),
              [](const auto& a, const auto& b) { return a.line < b.line; });
    Json rows_failed = Json::array();
    for (const auto& p : problems) {
      rows_failed.push_back(Json{{"line", p.line}, {"email", p.email}, {"reason", p.reason}});
      Output::warn(fmt::format("line {}: {}: {}", p.line, p.email, p.reason));
    }
    ctx.out().item(
        Json{
            {"added", report.added.size()}, {"failed", problems.size()}, {"problems", rows_failed}},
        View{{}, "added", ""});
    if (!problems.empty()) {
      throw ResultError(ErrorKind::partial,
                        fmt::format("{} not imported (listed above); the other {} added",
                                    util::counted(static_cast<long long>(problems.size()),
                                                  "row was", "rows were"),
                                    util::counted(static_cast<long long>(report.added.size()),
                                                  "entry was", "entries were")));
    }
    ctx.out().note(fmt::format(
        "Added {} to the waitlist.",
        util::counted(static_cast<long long>(report.added.size()), "entry", "entries")));
  });
}

void setup_waitlist(CLI::App& app, Context& ctx) {
  auto* group =
      add_group(app, "waitlist", "The waitlist: add, list, admit, process (cron), import, stats");
  setup_waitlist_add(group, ctx);
  setup_waitlist_queries(group, ctx);
  setup_waitlist_admission(group, ctx);
  setup_waitlist_changes(group, ctx);
  setup_waitlist_import(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(46, "waitlist", setup_waitlist);

}  // namespace instctl::cli
