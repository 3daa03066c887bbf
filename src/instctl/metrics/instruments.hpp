#pragma once

// The process's own counters (what this process did since it started), each counted where
// its event happens, and their rendering with the process metrics (build, start time, memory,
// file descriptors) for GET /metrics. The instance's state as the database holds it (users,
// queues) is overview/prometheus.hpp.
//
// Every label value is one of a fixed list (an activity type outside the list counts as
// "other"), so the number of series is bounded whatever peers send.

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::metrics {

// HTTP requests by route template. Set once, before the server's threads start (serve, when
// metrics are on); until then requests are not counted.
void set_http_routes(const std::vector<std::string>& templates);
// `route`: an index into the templates, or any larger value for "no route".
void observe_request(std::size_t route, std::string_view method, int status, double seconds);

enum class InboxOutcome { accepted, ignored, bad_request, unauthorized, forbidden };
// `standard`: "cavage", "rfc9421", or "" when the signature could not be read.
void count_inbox(std::string_view type, InboxOutcome outcome, std::string_view standard);

// A delivery attempt's outcome: "delivered", "retrying", "dead", "dropped".
void count_delivery(std::string_view outcome);

// A signing key fetched for the inbox: "ok", "failed", "refused" (a host that did not answer a
// moment ago, or too many fetches waiting: no request made).
void count_key_fetch(std::string_view outcome);
// A cache consulted: "inbox_key" (an inbox request's key known already), "response" (a worker's
// kept public document), "loop" (an event loop's kept answer). Hits and misses.
void count_cache(std::string_view cache, bool hit);
// A request refused by a rate limit (onboarding.rate_limit).
void count_rate_limited();

// The server's own counts, read at each scrape (nothing is added per request): its open
// connections, and its worker pool's jobs accepted and not finished (running or waiting) with
// the number of workers. Null to stop watching, before the counts go away.
void watch_connections(const std::atomic<std::size_t>* open);
void watch_work_pool(const std::atomic<std::size_t>* in_flight, std::size_t workers);

// What instctl_build_info names (the caller knows the libraries' versions).
struct BuildInfo {
  std::string version, revision, sqlite, openssl, curl;
};
// The git revision is linked into the program, not the library: the program sets it at start.
void set_revision(std::string revision);
const std::string& revision();

// Everything above, then the process: instctl_build_info, process_start_time_seconds,
// process_resident_memory_bytes, process_open_fds.
std::string render_process(const BuildInfo& build);

}  // namespace instctl::metrics
