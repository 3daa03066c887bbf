// instctl serve: the instance's HTTP/ActivityPub endpoint.

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/change_counter.hpp"
#include "instctl/db/restore.hpp"
#include "instctl/federation/delivery_loop.hpp"
#include "instctl/http/access_log.hpp"
#include "instctl/http/app.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/http/readiness.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/seams.hpp"
#include "instctl/http/server.hpp"
#include "instctl/http/server_log.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/mail/mail_loop.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/util/systemd.hpp"
#include "instctl/util/time.hpp"
#include "instctl/version.hpp"

namespace instctl::cli {
namespace {

struct ServeOptions {
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<int> workers;
  std::size_t queue_limit = 512;
  long long max_client_connections = 256;
  std::string header_timeout = "5s";
  std::optional<std::string> public_url;
  std::optional<std::string> access_log;
  std::optional<std::string> log_format;
  std::string read_timeout = "10s";
  std::string idle_timeout = "60s";
  bool no_deliver = false;
  std::vector<std::string> trusted_proxies;
};

// ADDRESS:PORT, [IPv6]:PORT.
void parse_listen(const std::string& text, http::ServerOptions& so) {
  const std::string v = validate_config_value("server.listen", text);
  const auto colon = v.rfind(':');
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  so.address = host;
  so.port = static_cast<std::uint16_t>(std::stoi(v.substr(colon + 1)));
}

std::chrono::milliseconds duration_option(const char* name, const std::string& text) {
  const auto seconds = util::parse_duration(text);
  if (!seconds) {
    throw Error(ErrorKind::usage,
                fmt::format("{} '{}' is not a duration: give seconds or 10s, 2m, 1h", name, text));
  }
  return std::chrono::seconds(*seconds);
}

// The error log (stderr): one line per message in the chosen format, whatever outside text
// (an actor, a peer's answer) it quotes (http/server_log.hpp).
class ErrorLog {
 public:
  explicit ErrorLog(http::LogFormat format) : m_format(format) {}
  void operator()(http::LogLevel level, std::string_view message,
                  const http::Request* req = nullptr) const {
    const std::string line =
        http::error_line(m_format, http::log_clock_millis(), level, message, req);
    std::fputs(line.c_str(), stderr);
  }

 private:
  http::LogFormat m_format;
};

http::LogFormat log_format(const ServeOptions& o, db::Connection& db) {
  const std::string name = o.log_format ? validate_config_value("server.log_format", *o.log_format)
                                        : instance::Settings(db).get("server.log_format");
  return http::parse_log_format(name).value_or(http::LogFormat::text);
}

// /health/ready's probe; under systemd (util/systemd.hpp) it also feeds the watchdog, which
// hears WATCHDOG=1 only while the checks pass. A change of verdict is logged once.
std::unique_ptr<http::Readiness> start_readiness(const std::string& db_path,
                                                 const federation::DeliveryLoop* delivery,
                                                 const ErrorLog& log) {
  http::Readiness::Heartbeat beat;
  if (delivery) beat = [delivery] { return delivery->heartbeat(); };
  const bool watchdog = util::systemd::watchdog_interval().has_value();
  // -1 before the first verdict: a server that is ready from the start logs nothing.
  auto was_ready = std::make_shared<std::atomic<int>>(-1);
  auto on_verdict = [watchdog, was_ready, log](const http::Readiness::Verdict& v,
                                               const std::string& error) {
    if (v.ready && watchdog) util::systemd::notify("WATCHDOG=1");
    const int before = was_ready->exchange(v.ready ? 1 : 0);
    if (before == (v.ready ? 1 : 0) || (before == -1 && v.ready)) return;
    if (v.ready) return log(http::LogLevel::info, "ready again");
    log(http::LogLevel::warning,
        fmt::format("not ready: {}{}", v.reason, error.empty() ? "" : ": " + error));
  };
  return std::make_unique<http::Readiness>(db_path, http::Readiness::Options{}, beat, on_verdict);
}

void run_serve(Context& ctx, const ServeOptions& o) {
  // glibc gives each thread that allocates an arena of its own (up to eight per core), and
  // each keeps what its thread freed: serve's dozen threads held several MB that way after a
  // delivery. Two arenas hold its little allocation; MALLOC_ARENA_MAX still decides when set.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  http::ServerOptions so;
  auto& db = ctx.db();  // checks the schema and the instance before anything listens
  // 'db restore' refuses while this is held, and serve does not start during a restore.
  std::optional<db::ServeHold> hold;
  if (db.dialect() == db::Dialect::sqlite) hold.emplace(db.location());
  parse_listen(o.listen ? *o.listen : instance::Settings(db).get("server.listen"), so);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  so.threads = o.threads.value_or(hw);
  if (so.threads < 1 || so.threads > 64) {
    throw Error(ErrorKind::usage,
                fmt::format("--threads {}: give a number from 1 to 64", so.threads));
  }
  so.workers = o.workers.value_or(2 * hw);
  if (so.workers < 1 || so.workers > 256) {
    throw Error(ErrorKind::usage,
                fmt::format("--workers {}: give a number from 1 to 256", so.workers));
  }
  if (o.queue_limit > 1'000'000) {
    throw Error(ErrorKind::usage,
                fmt::format("--queue-limit {}: give a number from 0 to 1000000", o.queue_limit));
  }
  so.queue_limit = o.queue_limit;
  if (o.max_client_connections < 0 || o.max_client_connections > 1'000'000) {
    throw Error(ErrorKind::usage, fmt::format("--max-client-connections {}: give a number from 0 "
                                              "(no cap) to 1000000",
                                              o.max_client_connections));
  }
  so.max_client_connections = static_cast<std::size_t>(o.max_client_connections);
  so.header_timeout = duration_option("--header-timeout", o.header_timeout);
  if (so.header_timeout.count() == 0) {
    throw Error(ErrorKind::usage, "--header-timeout 0: give at least 1s");
  }
  so.read_timeout = duration_option("--read-timeout", o.read_timeout);
  so.idle_timeout = duration_option("--idle-timeout", o.idle_timeout);
  http::SiteOverrides overrides;
  if (o.public_url) {
    instance::override_public_url(validate_config_value("server.public_url", *o.public_url));
  }
  http::TrustedProxies proxies;
  for (const auto& p : o.trusted_proxies) proxies.add(p);
  http::trust_proxies(std::move(proxies));
  overrides.listen_host = so.address;
  overrides.listen_port = so.port;
  const http::LogFormat format = log_format(o, db);
  const ErrorLog log(format);
  std::unique_ptr<http::AccessLog> access;
  if (o.access_log) access = std::make_unique<http::AccessLog>(*o.access_log, format);

  const auto site = instance::load(db);
  const http::Router router = http::make_router();
  const Clock& clock = ctx.clock();
  const std::string db_path = ctx.opts.db_path;

  http::ServerHooks hooks;
  hooks.make_worker = [&] { return http::make_app_worker(router, db_path, clock, overrides); };
  // Every instctl process that writes the SQLite database moves it (db/change_counter.hpp).
  const auto changes = db::ChangeCounter::open(db_path);
  hooks.change_counter = changes.get();
  if (access) {
    hooks.on_request = [&access](const http::Request& req, int status, std::size_t bytes,
                                 double ms) { access->write(req, status, bytes, ms); };
  }
  metrics::set_revision(k_git_revision);
  http::count_requests(router, db, hooks);  // server.metrics
  hooks.on_error = [log](std::string_view m) { log(http::LogLevel::error, m); };
  hooks.on_request_error = [log](const http::Request& req, std::string_view note) {
    log(http::LogLevel::error, note, &req);
  };
  hooks.on_listening = [&](const std::string& address, std::uint16_t port) {
    log(http::LogLevel::info,
        fmt::format("serving {} ({}) on {}:{} with {} event loop(s) and {} worker(s); stop "
                    "with Ctrl-C",
                    site.domain, site.public_url, address, port, so.threads, so.workers));
    util::systemd::notify("READY=1");
  };
  hooks.on_stopping = [log](std::string_view sig) {
    util::systemd::notify("STOPPING=1");
    log(http::LogLevel::info,
        fmt::format("{}: finishing the requests in flight, then stopping", sig));
  };
  // Outbound activities (Accepts of Follows, forwarded reports...) leave from this process
  // unless another worker (federation deliver --loop) is meant to send them.
  std::unique_ptr<federation::DeliveryLoop> delivery;
  if (!o.no_deliver) {
    delivery = std::make_unique<federation::DeliveryLoop>(
        db_path, clock, [log](std::string_view m) { log(http::LogLevel::warning, m); });
  }
  // Queued mails of every kind go out from here too, once the mail settings are set; other
  // serve processes and cron runs share the queue (each mail is claimed).
  mail::MailLoop mail_worker(db_path, clock, http::seams(),
                             [log](std::string_view m) { log(http::LogLevel::warning, m); });
  {
    const auto readiness = start_readiness(db_path, delivery.get(), log);
    http::Readiness::set_current(readiness.get());
    struct Unset {
      ~Unset() { http::Readiness::set_current(nullptr); }
    } unset;
    http::serve(so, hooks);
  }
  mail_worker.stop();
  if (delivery) delivery->stop();
  log(http::LogLevel::info, "stopped");
}

void setup_serve(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve the instance over HTTP: WebFinger, NodeInfo, actors, inbox, instance API");
  cmd->add_option("--listen", o->listen,
                  "ADDRESS:PORT to listen on [default: the server.listen setting, 127.0.0.1:8080]");
  cmd->add_option("--threads", o->threads,
                  "Event-loop threads: network I/O only [default: CPU count]");
  cmd->add_option("--workers", o->workers,
                  "Worker threads that handle requests, each with its own database connection "
                  "[default: twice the CPU count]");
  cmd->add_option("--queue-limit", o->queue_limit,
                  "Requests that may wait for a worker; more are answered 503 with Retry-After "
                  "[default: 512]");
  cmd->add_option("--max-client-connections", o->max_client_connections,
                  "Open connections per client address (IPv6: per /64); 0 for no cap "
                  "[default: 256]");
  cmd->add_option("--header-timeout", o->header_timeout,
                  "Longest time for a new connection to send its first request's headers "
                  "[default: 5s]");
  cmd->add_option("--public-url", o->public_url,
                  "The URL people and servers reach the instance at, for this run "
                  "[default: the server.public_url setting]");
  cmd->add_option("--access-log", o->access_log,
                  "Write one line per request to FILE ('-': stdout) [default: none]");
  cmd->add_option("--log-format", o->log_format,
                  "Format of the access and error logs: text, or json (one object per line) "
                  "[default: the server.log_format setting, text]")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--read-timeout", o->read_timeout,
                  "Longest time to receive one request [default: 10s]");
  cmd->add_option("--idle-timeout", o->idle_timeout,
                  "Longest wait for a request on an open connection [default: 60s]");
  cmd->add_flag("--no-deliver", o->no_deliver,
                "Do not run the outbound delivery worker (run 'instctl federation deliver --loop' "
                "elsewhere)");
  cmd->add_option("--trusted-proxy", o->trusted_proxies,
                  "ADDRESS[/PREFIX] of a reverse proxy on another machine whose X-Forwarded-For "
                  "names the client (repeatable) [default: loopback only]");
  cmd->callback([&ctx, o] { run_serve(ctx, *o); });
}

}  // namespace

INSTCTL_COMMAND_GROUP(90, "serve", setup_serve);

}  // namespace instctl::cli
