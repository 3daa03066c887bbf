// instctl reports: the moderation queue, from a report to its resolution.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/moderation/report_desk.hpp"
#include "instctl/reports/report_service.hpp"

namespace instctl::cli {
namespace {

using moderation::ReportDesk;
using reports::ReportService;

const View k_reports_view{{"id", "status", "category", "target", "reporter", "origin",
                           "assigned_to", "action_taken", "created_at"},
                          "id",
                          "reports"};

// `account_status` is the older name of `target_status` in `reports resolve`: JSON keeps it.
const View k_resolve_view{
    k_reports_view.columns, k_reports_view.quiet, k_reports_view.noun, {"account_status"}};

const char* const k_as_help =
    "The moderator taking this step (a local moderator or admin) [default: $INSTCTL_ACTOR when "
    "it names a local user, else the operator]";

void add_as(CLI::App* cmd, std::optional<std::string>& as) {
  cmd->add_option("--as", as, k_as_help);
}

struct CreateOptions {
  std::string target;
  std::string category = "other";
  std::vector<std::int64_t> rules;
  std::string comment;
  std::vector<std::string> statuses;
  std::optional<std::string> reporter;
  bool forward = false;
};

void run_create(Context& ctx, const CreateOptions& o) {
  reports::CreateRequest req;
  req.target = o.target;
  req.category = reports::parse_category(o.category);
  req.rule_ids = o.rules;
  req.comment = o.comment;
  req.status_urls = o.statuses;
  req.reporter = o.reporter;
  req.forward = o.forward;
  ReportService svc(ctx.env());
  const auto result = svc.create(req);
  ctx.out().item(reports::to_json(result.report), k_reports_view);
  if (result.remote_account_recorded) {
    ctx.out().note(
        fmt::format("Recorded the remote account {} (not fetched; 'instctl federation "
                    "lookup {}' fetches it).",
                    result.report.target, result.report.target));
  }
  ctx.out().note(
      fmt::format("Filed report {} against {}.", result.report.id, result.report.target));
  if (result.forward_note) ctx.out().note(*result.forward_note);
}

void setup_reports_create(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<CreateOptions>();
  auto* cmd =
      group->add_subcommand("create", "File a report against a local user or a remote account");
  cmd->add_option("--target", o->target, "The account reported: USER, or ACCT (user@domain)")
      ->required();
  cmd->add_option("--category", o->category,
                  "spam, legal, violation (needs --rule) or other [default: other]")
      ->check(CLI::IsMember({"spam", "legal", "violation", "other"}));
  cmd->add_option("--rule", o->rules,
                  "A broken rule's id, for violation reports (repeatable; see 'rules list')");
  cmd->add_option("--comment", o->comment, "What happened (up to 1000 characters)");
  cmd->add_option("--status", o->statuses, "The URL of a reported post (repeatable)");
  cmd->add_option("--reporter", o->reporter,
                  "The local user who reports [default: none, the operator]");
  cmd->add_flag("--forward", o->forward,
                "Also send the report to the remote account's instance as a Flag");
  cmd->callback([&ctx, o] { run_create(ctx, *o); });
}

struct ListOptions {
  std::string status = "open";
  std::optional<std::string> target;
  std::optional<std::string> assigned_to;
  bool unassigned = false;
  std::optional<std::string> category;
  std::optional<std::string> origin;
  std::int64_t limit = 0;
};

void setup_reports_list(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = group->add_subcommand("list", "List reports, open ones first, oldest first");
  cmd->add_option("--status", o->status, "open (default), resolved or all")
      ->check(CLI::IsMember({"open", "resolved", "all"}));
  cmd->add_option("--target", o->target, "Only reports against this account (USER or ACCT)");
  auto* assigned =
      cmd->add_option("--assigned-to", o->assigned_to, "Only reports assigned to this moderator");
  cmd->add_flag("--unassigned", o->unassigned, "Only reports nobody is assigned to")
      ->excludes(assigned);
  cmd->add_option("--category", o->category, "Only this category: spam, legal, violation, other")
      ->check(CLI::IsMember({"spam", "legal", "violation", "other"}));
  cmd->add_option("--origin", o->origin,
                  "Only reports filed here (local) or received from other instances (remote)")
      ->check(CLI::IsMember({"local", "remote"}));
  cmd->add_option("--limit", o->limit, "At most N reports (0: all)");
  cmd->callback([&ctx, o] {
    reports::ListRequest req;
    if (o->status == "all")
      req.status = std::nullopt;
    else
      req.status = reports::parse_status(o->status);
    req.target = o->target;
    req.assigned_to = o->assigned_to;
    req.unassigned = o->unassigned;
    if (o->category) req.category = reports::parse_category(*o->category);
    if (o->origin) req.origin = reports::parse_origin(*o->origin);
    req.limit = o->limit;
    ReportService svc(ctx.env());
    Json rows = Json::array();
    for (const auto& r : svc.list(req)) rows.push_back(reports::to_json(r));
    ctx.out().list(rows, k_reports_view);
  });
}

void setup_reports_show(CLI::App* group, Context& ctx) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* cmd = group->add_subcommand(
      "show", "A report with its notes, the target's earlier reports and strikes, and its history");
  cmd->add_option("ID", *id, "The report's id")->required();
  cmd->callback([&ctx, id] {
    ReportDesk desk(ctx.env());
    ctx.out().item(desk.details(*id), k_reports_view);
  });
}

void setup_reports_assignment(CLI::App* group, Context& ctx) {
  struct Options {
    std::int64_t id = 0;
    std::optional<std::string> to;
    std::optional<std::string> as;
  };
  auto o = std::make_shared<Options>();
  auto* assign = group->add_subcommand("assign", "Assign a report to a moderator");
  assign->add_option("ID", o->id, "The report's id")->required();
  assign->add_option("--to", o->to,
                     "The moderator or admin who handles it [default: the acting moderator]");
  add_as(assign, o->as);
  assign->callback([&ctx, o] {
    ReportDesk desk(ctx.env());
    const auto r = desk.assign(o->id, o->to, o->as);
    ctx.out().item(reports::to_json(r), k_reports_view);
    ctx.out().note(fmt::format("Report {} is assigned to {}.", r.id, r.assigned_to.value_or("")));
  });

  auto u = std::make_shared<Options>();
  auto* unassign = group->add_subcommand("unassign", "Take a report off its moderator's desk");
  unassign->add_option("ID", u->id, "The report's id")->required();
  add_as(unassign, u->as);
  unassign->callback([&ctx, u] {
    ReportDesk desk(ctx.env());
    const auto r = desk.unassign(u->id, u->as);
    ctx.out().item(reports::to_json(r), k_reports_view);
    ctx.out().note(fmt::format("Report {} is unassigned.", r.id));
  });
}

void setup_reports_note(CLI::App* group, Context& ctx) {
  struct Options {
    std::int64_t id = 0;
    std::string text;
    std::optional<std::string> as;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand("note", "Add a moderator's note to a report");
  cmd->add_option("ID", o->id, "The report's id")->required();
  cmd->add_option("TEXT", o->text, "The note")->required();
  add_as(cmd, o->as);
  cmd->callback([&ctx, o] {
    ReportDesk desk(ctx.env());
    ctx.out().item(reports::to_json(desk.note(o->id, o->text, o->as)),
                   View{{"id", "author", "text", "created_at"}, "id", "notes"});
    ctx.out().note(fmt::format("Added a note to report {}.", o->id));
  });
}

void setup_reports_resolve(CLI::App* group, Context& ctx) {
  struct Options {
    std::int64_t id = 0;
    std::string action = "none";
    std::optional<std::string> text;
    std::optional<std::string> as;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(
      "resolve", "Close a report, acting on the account: the action is recorded as a strike");
  cmd->add_option("ID", o->id, "The report's id")->required();
  cmd->add_option("--action", o->action,
                  "none (default), warn, disable, silence or suspend; any but none resolves every "
                  "open report against the account")
      ->check(CLI::IsMember({"none", "warn", "disable", "silence", "suspend"}));
  cmd->add_option("--text,--reason", o->text,
                  "Why: kept with the strike (with none, as a note); needed for silence and "
                  "suspend");
  add_as(cmd, o->as);
  cmd->callback([&ctx, o] {
    ReportDesk desk(ctx.env());
    const auto r = desk.resolve(o->id, moderation::parse_resolve_action(o->action), o->text, o->as);
    Json record = reports::to_json(r.report);
    // target_status, as in `reports show`; account_status is its older name, kept in JSON.
    record["target_status"] = users::to_string(r.account.status);
    record["account_status"] = record["target_status"];
    record["strike"] = r.strike ? moderation::to_json(*r.strike) : Json(nullptr);
    record["also_resolved"] = r.also_resolved;
    ctx.out().item(record, k_resolve_view);
    ctx.out().note(r.summary);
  });
}

void setup_reports_reopen_forward(CLI::App* group, Context& ctx) {
  struct Options {
    std::int64_t id = 0;
    std::optional<std::string> as;
  };
  auto o = std::make_shared<Options>();
  auto* reopen = group->add_subcommand(
      "reopen", "Open a resolved report again (the account's state and strikes stay)");
  reopen->add_option("ID", o->id, "The report's id")->required();
  add_as(reopen, o->as);
  reopen->callback([&ctx, o] {
    ReportDesk desk(ctx.env());
    ctx.out().item(reports::to_json(desk.reopen(o->id, o->as)), k_reports_view);
    ctx.out().note(fmt::format("Reopened report {}.", o->id));
  });

  auto f = std::make_shared<Options>();
  auto* forward = group->add_subcommand(
      "forward",
      "Send a report about a remote account to its instance, as a Flag from the instance actor");
  forward->add_option("ID", f->id, "The report's id")->required();
  add_as(forward, f->as);
  forward->callback([&ctx, f] {
    ReportDesk desk(ctx.env());
    const auto r = desk.forward(f->id, f->as);
    Json record = reports::to_json(r.report);
    record["delivery"] = r.state;
    record["activity"] = r.activity;
    ctx.out().item(record, k_reports_view);
    ctx.out().note(r.message);
  });
}

void setup_reports(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "reports", "Moderation reports: file, triage, resolve, forward");
  setup_reports_create(group, ctx);
  setup_reports_list(group, ctx);
  setup_reports_show(group, ctx);
  setup_reports_assignment(group, ctx);
  setup_reports_note(group, ctx);
  setup_reports_resolve(group, ctx);
  setup_reports_reopen_forward(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(75, "reports", setup_reports);

}  // namespace instctl::cli
