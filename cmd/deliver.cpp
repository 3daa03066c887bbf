// instctl federation deliver | queue: the outbound delivery queue.

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/delivery_admin.hpp"
#include "instctl/federation/delivery_store.hpp"
#include "instctl/federation/delivery_worker.hpp"
#include "instctl/instance/client_options.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

const View k_job_view{{"id", "type", "inbox", "state", "attempts", "next_attempt_at", "last_error"},
                      "id",
                      "queued deliveries"};

federation::DeliverReport deliver_batch(Context& ctx, federation::DeliveryWorker& worker,
                                        std::int64_t limit) {
  std::unique_ptr<ProgressBar> bar;
  const auto pending = federation::DeliveryStore(ctx.db()).count("pending");
  if (pending > 1)
    bar = std::make_unique<ProgressBar>("delivering", static_cast<std::size_t>(pending));
  auto report = worker.run(limit, [&bar](std::size_t n) {
    if (bar) bar->update(n);
  });
  if (bar) bar->finish();
  return report;
}

void setup_deliver(CLI::App* group, Context& ctx) {
  struct Options {
    std::int64_t limit = 0;
    bool loop = false;
    double interval = 5;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(
      "deliver", "Send queued activities (signed), retrying failures with backoff");
  cmd->add_option("--limit", o->limit, "Handle at most N deliveries (0: all that are due)");
  cmd->add_flag("--loop", o->loop, "Keep delivering until interrupted (SIGINT or SIGTERM)");
  cmd->add_option("--interval", o->interval,
                  "With --loop: seconds between polls when idle (default 5)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->callback([&ctx, o] {
    if (o->limit < 0) throw Error(ErrorKind::usage, "--limit must not be negative");
    auto client = net::make_http_client(instance::client_options(ctx.db()));
    federation::DeliveryWorker worker(ctx.env(), *client);
    federation::DeliverReport total;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    do {
      // In a loop, small batches, so a signal is noticed between them.
      const auto r = deliver_batch(ctx, worker, o->loop && o->limit == 0 ? 20 : o->limit);
      total.delivered += r.delivered;
      total.retrying += r.retrying;
      total.dead += r.dead;
      total.dropped += r.dropped;
      if (!o->loop) break;
      // Idle: wait for new work in small steps so a signal stops the loop promptly.
      for (double waited = 0; r.total() == 0 && waited < o->interval && !g_stop; waited += 0.1) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    } while (!g_stop);
    ctx.out().item(total.to_json(), View{{}, "delivered", ""});
    ctx.out().note(fmt::format("Delivered {}, retrying {}, dead {}, dropped by policy {}.",
                               total.delivered, total.retrying, total.dead, total.dropped));
  });
}

federation::QueueFilter parse_filter(const std::string& s) {
  if (s == "pending") return federation::QueueFilter::pending;
  if (s == "dead") return federation::QueueFilter::dead;
  return federation::QueueFilter::all;
}

void setup_deliver_queue(CLI::App* group, Context& ctx) {
  struct Options {
    std::string status = "pending";
    std::int64_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* queue =
      group->add_subcommand("queue", "Show the outbound delivery queue, or retry/drop jobs");
  queue->require_subcommand(0, 1);
  queue->add_option("--status", o->status, "pending (default, includes in-flight), dead or all")
      ->check(CLI::IsMember({"pending", "dead", "all"}));
  queue->add_option("--limit", o->limit, "Show at most N jobs (0: all)");
  queue->callback([&ctx, o, queue] {
    if (!queue->get_subcommands().empty()) return;
    Json rows = Json::array();
    for (const auto& j :
         federation::DeliveryStore(ctx.db()).list(parse_filter(o->status), o->limit)) {
      rows.push_back(federation::to_json(j));
    }
    ctx.out().list(rows, k_job_view);
  });

  struct RetryOptions {
    std::optional<std::int64_t> id;
    bool dead = false;
  };
  auto r = std::make_shared<RetryOptions>();
  auto* retry = queue->add_subcommand("retry", "Deliver a job (or every dead job) again now");
  retry->add_option("ID", r->id, "The job's id (see 'federation queue')");
  retry->add_flag("--dead", r->dead, "Every dead job");
  retry->callback([&ctx, r] {
    if (r->id.has_value() == r->dead)
      throw Error(ErrorKind::usage, "give a job ID or --dead (not both)");
    federation::DeliveryAdmin admin(ctx.env());
    std::int64_t n = 1;
    if (r->dead)
      n = admin.retry_dead();
    else
      admin.retry(*r->id);
    ctx.out().item(Json{{"retried", n}}, View{{}, "retried", ""});
    ctx.out().note(r->dead ? fmt::format("Queued {} again.", util::counted(n, "dead job"))
                           : fmt::format("Queued job {} again.", *r->id));
  });

  auto d = std::make_shared<std::int64_t>(0);
  auto* drop = queue->add_subcommand("drop", "Remove a job from the queue without delivering it");
  drop->add_option("ID", *d, "The job's id (see 'federation queue')")->required();
  drop->callback([&ctx, d] {
    ctx.out().item(federation::to_json(federation::DeliveryAdmin(ctx.env()).drop(*d)), k_job_view);
    ctx.out().note(fmt::format("Dropped job {}: it will not be delivered.", *d));
  });
}

void setup_deliver(CLI::App& app, Context& ctx) {
  auto* group = app.get_subcommand("federation");
  setup_deliver(group, ctx);
  setup_deliver_queue(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(72, "federation", setup_deliver);

}  // namespace instctl::cli
