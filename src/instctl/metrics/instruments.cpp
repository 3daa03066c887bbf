#include "instctl/metrics/instruments.hpp"

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "instctl/metrics/registry.hpp"

namespace instctl::metrics {

namespace {

const std::time_t k_started = std::time(nullptr);

// Index of `value` in `values`, else the last entry (the catch-all).
std::size_t index_or_last(const std::vector<std::string>& values, std::string_view value) {
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i] == value) return i;
  }
  return values.size() - 1;
}

const std::vector<std::string> k_methods = {"GET", "HEAD", "POST", "other"};
const std::vector<std::string> k_classes = {"1xx", "2xx", "3xx", "4xx", "5xx"};
const std::vector<double> k_latency_bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                              0.25,  0.5,    1,     2.5,  5,     10};

struct Http {
  explicit Http(std::vector<std::string> routes)
      : requests("instctl_http_requests_total",
                 "HTTP requests answered, by route template, method and status class",
                 Labels{{"route", "method", "status"}, {routes, k_methods, k_classes}}),
        latency("instctl_http_request_duration_seconds",
                "Time from a request's first byte to its answer written, by route template",
                Labels{{"route"}, {routes}}, k_latency_bounds),
        route_count(routes.size() - 1) {}
  CounterFamily requests;
  HistogramFamily latency;
  std::size_t route_count;  // the last route value is "other"
};

// Set once before the server's threads start; read on every request.
std::unique_ptr<Http> g_http_owner;
std::atomic<Http*> g_http{nullptr};

const std::vector<std::string> k_activity_types = {
    "Accept", "Add",  "Announce", "Block",  "Create", "Delete", "Flag", "Follow",
    "Like",   "Move", "Reject",   "Remove", "Undo",   "Update", "none", "other"};
const std::vector<std::string> k_inbox_outcomes = {"accepted", "ignored", "400", "401", "403"};
const std::vector<std::string> k_standards = {"cavage", "rfc9421", "none"};
const std::vector<std::string> k_delivery_outcomes = {"delivered", "retrying", "dead", "dropped"};
const std::vector<std::string> k_key_outcomes = {"ok", "failed", "refused"};
const std::vector<std::string> k_caches = {"inbox_key", "response", "loop"};
const std::vector<std::string> k_hit = {"hit", "miss"};

struct Counters {
  CounterFamily inbox{
      "instctl_inbox_activities_total",
      "Activities POSTed to the inboxes, by type, outcome and signature standard",
      Labels{{"type", "outcome", "standard"}, {k_activity_types, k_inbox_outcomes, k_standards}}};
  CounterFamily deliveries{"instctl_deliveries_total",
                           "Delivery attempts made by this process, by outcome",
                           Labels{{"outcome"}, {k_delivery_outcomes}}};
  CounterFamily key_fetches{"instctl_key_fetches_total",
                            "Signing keys fetched for the inbox, by outcome",
                            Labels{{"outcome"}, {k_key_outcomes}}};
  CounterFamily caches{"instctl_cache_lookups_total", "Cache lookups, by cache and result",
                       Labels{{"cache", "result"}, {k_caches, k_hit}}};
  CounterFamily rate_limited{"instctl_rate_limited_total",
                             "Requests refused by a rate limit (onboarding.rate_limit)", Labels{}};
  std::atomic<const std::atomic<std::size_t>*> connections{nullptr};
  std::atomic<const std::atomic<std::size_t>*> pool{nullptr};
  std::atomic<std::size_t> workers{0};
};

Counters& counters() {
  static Counters c;
  return c;
}

void gauge(std::string& out, std::string_view name, std::string_view help, double value) {
  write_header(out, name, help, "gauge");
  write_sample(out, name, "", value);
}

double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double open_fds() {
  std::error_code ec;
  double n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n > 0 ? n - 1 : 0;  // the directory's own descriptor, open while it is read
}

std::string& revision_value() {
  static std::string value = "unknown";
  return value;
}

}  // namespace

void set_revision(std::string revision) { revision_value() = std::move(revision); }
const std::string& revision() { return revision_value(); }

void set_http_routes(const std::vector<std::string>& templates) {
  auto routes = templates;
  routes.push_back("other");
  g_http_owner = std::make_unique<Http>(std::move(routes));
  g_http.store(g_http_owner.get(), std::memory_order_release);
}

void observe_request(std::size_t route, std::string_view method, int status, double seconds) {
  Http* http = g_http.load(std::memory_order_acquire);
  if (!http) return;
  if (route > http->route_count) route = http->route_count;
  const std::size_t m = method == "GET" ? 0 : method == "HEAD" ? 1 : method == "POST" ? 2 : 3;
  const std::size_t c =
      status >= 100 && status < 600 ? static_cast<std::size_t>(status / 100 - 1) : 4;
  http->requests.add(http->requests.labels().index({route, m, c}));
  http->latency.observe(route, seconds);
}

void count_inbox(std::string_view type, InboxOutcome outcome, std::string_view standard) {
  auto& c = counters();
  const auto t = index_or_last(k_activity_types, type.empty() ? "none" : type);
  const auto s = index_or_last(k_standards, standard);
  c.inbox.add(c.inbox.labels().index({t, static_cast<std::size_t>(outcome), s}));
}

void count_delivery(std::string_view outcome) {
  counters().deliveries.add(index_or_last(k_delivery_outcomes, outcome));
}

void count_key_fetch(std::string_view outcome) {
  counters().key_fetches.add(index_or_last(k_key_outcomes, outcome));
}

void count_cache(std::string_view cache, bool hit) {
  auto& c = counters();
  c.caches.add(c.caches.labels().index({index_or_last(k_caches, cache), hit ? 0u : 1u}));
}

void count_rate_limited() { counters().rate_limited.add(0); }

void watch_connections(const std::atomic<std::size_t>* open) { counters().connections = open; }

void watch_work_pool(const std::atomic<std::size_t>* in_flight, std::size_t workers) {
  counters().workers = workers;
  counters().pool = in_flight;
}

std::string render_process(const BuildInfo& build) {
  std::string out;
  if (Http* http = g_http.load(std::memory_order_acquire)) {
    http->requests.render(out);
    http->latency.render(out);
  }
  auto& c = counters();
  c.inbox.render(out);
  c.deliveries.render(out);
  c.key_fetches.render(out);
  c.caches.render(out);
  c.rate_limited.render(out);
  if (const auto* open = c.connections.load()) {
    gauge(out, "instctl_http_open_connections", "Client connections open now",
          static_cast<double>(open->load(std::memory_order_relaxed)));
  }
  if (const auto* pool = c.pool.load()) {
    const auto jobs = pool->load(std::memory_order_relaxed);
    const auto workers = c.workers.load();
    gauge(out, "instctl_work_pool_queue_depth", "Requests waiting for a free worker",
          static_cast<double>(jobs > workers ? jobs - workers : 0));
    gauge(out, "instctl_work_pool_workers", "Worker threads that handle requests",
          static_cast<double>(workers));
  }
  write_header(out, "instctl_build_info",
               "Always 1; the labels name the version and the libraries in use", "gauge");
  Labels info{{"version", "revision", "sqlite", "openssl", "libcurl"},
              {{build.version}, {build.revision}, {build.sqlite}, {build.openssl}, {build.curl}}};
  write_sample(out, "instctl_build_info", info.text(0), 1);
  gauge(out, "process_start_time_seconds", "When the process started (Unix time)",
        static_cast<double>(k_started));
  gauge(out, "process_resident_memory_bytes", "Resident memory of the process", resident_bytes());
  gauge(out, "process_open_fds", "File descriptors the process has open", open_fds());
  return out;
}

}  // namespace instctl::metrics
