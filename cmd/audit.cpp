// instctl audit: the append-only log of every state-changing command.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/util/time.hpp"

namespace instctl::cli {
namespace {

struct ListOptions {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> target;
  std::optional<std::string> since;
  std::int64_t limit = 50;
};

void run_list(Context& ctx, const ListOptions& o) {
  audit::Filter f;
  f.actor = o.actor;
  f.action = o.action;
  f.target = o.target;
  f.limit = o.limit;
  if (o.since) {
    if (auto d = util::parse_duration(*o.since))
      f.since = ctx.clock().now() - *d;
    else if (auto t = util::parse_time(*o.since))
      f.since = *t;
    else {
      throw Error(
          ErrorKind::usage,
          fmt::format("--since '{}': give a duration (12h, 7d) or a time (2026-11-28T06:00:00Z)",
                      *o.since));
    }
  }
  Json rows = Json::array();
  for (const auto& e : audit::list(ctx.db(), f)) rows.push_back(audit::to_json(e));
  ctx.out().list(
      rows,
      View{{"id", "created_at", "actor", "action", "target", "details"}, "id", "audit entries"});
}

void setup_audit(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "audit", "The audit log: who changed what, and when");
  auto o = std::make_shared<ListOptions>();
  auto* list = group->add_subcommand("list", "Show audit entries, newest first");
  list->add_option("--actor", o->actor, "Only entries by this actor (cli:root, http:...)");
  list->add_option("--action", o->action, "Only this action (users.suspend), or a prefix (users.)");
  list->add_option("--target", o->target, "Only entries about this target (user:alice)");
  list->add_option("--since", o->since, "Only entries newer than a duration (7d) or a time");
  list->add_option("--limit", o->limit, "At most N entries (0: all) [default: 50]");
  list->callback([&ctx, o] { run_list(ctx, *o); });
}

}  // namespace

INSTCTL_COMMAND_GROUP(80, "audit", setup_audit);

}  // namespace instctl::cli
