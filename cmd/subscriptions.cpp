// instctl federation subscriptions | drafts: blocklists the instance follows, and the changes
// they propose.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/subscriptions/subscription_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {
namespace {

using subscriptions::SubscriptionService;

const View k_sub_view{
    {"name", "url", "trust", "severity_cap", "entries", "last_result", "last_refresh_at"},
    "name",
    "subscriptions",
    {"format", "last_error", "last_success_at", "created_at"}};
const View k_change_view{{"domain", "change", "severity", "held_by", "state", "draft", "followers",
                          "follows", "accounts"},
                         "domain",
                         "changes"};
const View k_draft_view{
    {"id", "domain", "change", "severity", "held_by", "state", "followers", "follows", "accounts"},
    "id",
    "drafts"};

// The changes, the lists' outcomes as warnings, and the exit code the report calls for.
void print_report(Context& ctx, const subscriptions::RefreshReport& report) {
  for (const auto& l : report.lists) {
    if (l.error) Output::warn(fmt::format("{}: {}", l.name, *l.error));
  }
  for (const auto& n : report.notes) Output::warn(n);
  if (ctx.out().format() == Format::table && ctx.out().quiet()) {
    // -q prints the domains alone (k_change_view.quiet): rows of that one field are enough.
    Json rows = Json::array();
    rows.get_ref<Json::array_t&>().reserve(report.changes.size());
    for (const auto& c : report.changes) rows.emplace_back(Json::object())["domain"] = c.domain;
    ctx.out().list(rows, k_change_view);
  } else if (ctx.out().format() == Format::table) {
    ctx.out().list(report.changes_json(), k_change_view);
  } else {
    ctx.out().item(report.to_json(), View{{}, "changes", ""});
  }
  std::size_t applied = 0;
  for (const auto& c : report.changes) applied += c.applied ? 1 : 0;
  ctx.out().note(
      fmt::format("{} applied, {} proposed ('instctl federation drafts list' shows the drafts).",
                  util::counted(static_cast<long long>(applied), "change"),
                  util::counted(static_cast<long long>(report.changes.size() - applied), "draft")));
  if (auto failure = report.failure()) throw ResultError(failure->kind(), failure->what());
}

void setup_subscriptions_lists(CLI::App* federation, Context& ctx) {
  auto* group = federation->add_subcommand(
      "subscriptions", "Blocklists this instance follows (refresh from cron or the timer)");
  group->require_subcommand(1);

  struct AddOpts {
    std::string url;
    std::optional<std::string> name, format;
    std::string trust = "draft", cap = "suspend";
  };
  auto a = std::make_shared<AddOpts>();
  auto* add = group->add_subcommand("add", "Subscribe to a blocklist at a URL");
  add->add_option("URL", a->url, "The list's address (https://...)")->required();
  add->add_option("--name", a->name, "A short name (default: the URL's host)");
  add->add_option("--format", a->format, "mastodon-csv, json or text (detected when not given)")
      ->check(CLI::IsMember({"mastodon-csv", "json", "text"}));
  add->add_option("--trust", a->trust,
                  "draft (default: changes wait for review) or auto (applied at refresh)")
      ->check(CLI::IsMember({"auto", "draft"}));
  add->add_option("--severity-cap", a->cap,
                  "The strongest severity this list may set: silence or suspend (default)")
      ->check(CLI::IsMember({"silence", "suspend"}));
  add->callback([&ctx, a] {
    subscriptions::AddRequest req;
    req.url = a->url;
    req.name = a->name;
    if (a->format) req.format = federation::parse_file_format(*a->format);
    req.trust = subscriptions::parse_trust(a->trust);
    req.severity_cap = federation::parse_severity(a->cap);
    const auto s = SubscriptionService(ctx.env()).add(req);
    ctx.out().item(subscriptions::to_json(s), k_sub_view);
    ctx.out().note(fmt::format(
        "Subscribed to {} as {}; 'instctl federation subscriptions refresh' fetches it.", s.url,
        s.name));
  });

  group->add_subcommand("list", "List the subscriptions and their last refresh")->callback([&ctx] {
    Json rows = Json::array();
    for (const auto& s : SubscriptionService(ctx.env()).list()) {
      rows.push_back(subscriptions::to_json(s));
    }
    ctx.out().list(rows, k_sub_view);
  });

  auto name = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "Show one subscription");
  show->add_option("NAME", *name, "The subscription's name")->required();
  show->callback([&ctx, name] {
    ctx.out().item(subscriptions::to_json(SubscriptionService(ctx.env()).show(*name)), k_sub_view);
  });

  auto gone = std::make_shared<std::string>();
  auto* remove = group->add_subcommand(
      "remove",
      "Unsubscribe, retracting (or proposing to retract) the blocks this list alone made");
  remove->add_option("NAME", *gone, "The subscription's name")->required();
  remove->callback([&ctx, gone] {
    const auto report = SubscriptionService(ctx.env()).remove(*gone);
    ctx.out().note(fmt::format("Unsubscribed from {}.", *gone));
    print_report(ctx, report);
  });

  auto names = std::make_shared<std::vector<std::string>>();
  auto* refresh = group->add_subcommand(
      "refresh", "Fetch the lists (all, or those named) and apply or draft what changed");
  refresh->add_option("NAME", *names, "Subscriptions to refresh (default: all)");
  refresh->callback(
      [&ctx, names] { print_report(ctx, SubscriptionService(ctx.env()).refresh(*names)); });

  struct PolicyOpts {
    std::optional<std::int64_t> threshold;
    std::optional<std::string> severity;
  };
  auto p = std::make_shared<PolicyOpts>();
  auto* policy = group->add_subcommand(
      "policy", "Show or set the consensus: how many lists must name a domain to block it");
  policy->add_option("--threshold", p->threshold, "At least this many lists (1 or more)");
  policy
      ->add_option("--severity", p->severity,
                   "weakest (default) or strongest severity among the agreeing lists")
      ->check(CLI::IsMember({"weakest", "strongest"}));
  policy->callback([&ctx, p] {
    SubscriptionService svc(ctx.env());
    if (!p->threshold && !p->severity) {
      ctx.out().item(subscriptions::to_json(svc.policy()),
                     View{{"threshold", "severity"}, "threshold", ""});
      return;
    }
    std::optional<bool> strongest;
    if (p->severity) strongest = *p->severity == "strongest";
    const auto report = svc.set_policy(p->threshold.value_or(svc.policy().threshold), strongest);
    const auto now = svc.policy();
    ctx.out().note(fmt::format("Domains named by at least {} are blocked ({} severity).",
                               util::counted(now.threshold, "list"),
                               now.strongest ? "strongest" : "weakest"));
    print_report(ctx, report);
  });
}

void setup_subscriptions_drafts(CLI::App* federation, Context& ctx) {
  auto* group = federation->add_subcommand(
      "drafts", "Changes the subscribed lists propose, with what each would cut");
  group->require_subcommand(1);
  auto all = std::make_shared<bool>(false);
  auto* list = group->add_subcommand("list", "List the pending drafts");
  list->add_flag("--all", *all, "Also the rejected ones");
  list->callback([&ctx, all] {
    Json rows = Json::array();
    for (const auto& d : SubscriptionService(ctx.env()).drafts(*all)) {
      rows.push_back(subscriptions::to_json(d));
    }
    ctx.out().list(rows, k_draft_view);
  });

  for (const bool accepting : {true, false}) {
    struct Opts {
      std::vector<std::int64_t> ids;
      bool all = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = group->add_subcommand(
        accepting ? "accept" : "reject",
        accepting ? "Apply drafts" : "Reject drafts (not proposed again until the lists change)");
    auto* ids = cmd->add_option("ID", o->ids, "Draft ids ('federation drafts list')");
    cmd->add_flag("--all", o->all, "Every pending draft")->excludes(ids);
    cmd->callback([&ctx, o, accepting] {
      if (o->ids.empty() && !o->all) {
        throw Error(ErrorKind::usage, "name the drafts by ID, or give --all for every pending one");
      }
      SubscriptionService svc(ctx.env());
      const auto done = accepting ? svc.accept(o->ids) : svc.reject(o->ids);
      Json rows = Json::array();
      for (const auto& d : done) rows.push_back(subscriptions::to_json(d));
      ctx.out().list(rows, k_draft_view);
      ctx.out().note(fmt::format("{} {}.", accepting ? "Applied" : "Rejected",
                                 util::counted(static_cast<long long>(done.size()), "draft")));
    });
  }
}

void setup_subscriptions(CLI::App& app, Context& ctx) {
  auto* federation = app.get_subcommand("federation");
  setup_subscriptions_lists(federation, ctx);
  setup_subscriptions_drafts(federation, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(73, "federation", setup_subscriptions);

}  // namespace instctl::cli
