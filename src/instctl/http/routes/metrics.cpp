// GET /metrics: Prometheus' text exposition format. Off unless server.metrics is local (the
// client is this machine or a --trusted-proxy address; others get 403) or a token file is set
// (server.metrics_token_file: Authorization: Bearer, compared in constant time with the file's
// content; wrong or missing 401), which takes precedence. The process's counters
// (metrics/instruments.hpp) are read at each scrape; the instance's gauges
// (overview/prometheus.hpp) are kept a few seconds, so scrapes from several Prometheus servers cost
// one set of queries.

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/libcrypto.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/metrics/kept_text.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/overview/prometheus.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/version.hpp"

namespace instctl::http {

namespace {

constexpr auto k_instance_ttl = std::chrono::seconds(5);
constexpr const char* k_exposition = "text/plain; version=0.0.4; charset=utf-8";

enum class Access { off, local, token };

// The one rule: a token file, when set, decides; else server.metrics.
Access access_of(const instance::Settings& settings) {
  if (!settings.get("server.metrics_token_file").empty()) return Access::token;
  return settings.get("server.metrics") == "local" ? Access::local : Access::off;
}

// The token, trimmed; Error(usage) naming the setting when it cannot be read or is empty.
std::string read_token(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string token(util::trim(text.str()));
  if (!in || token.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot read a token from {} (server.metrics_token_file); write the "
                            "token in it, readable by the user running 'instctl serve'",
                            path));
  }
  return token;
}

bool token_matches(const Request& req, const std::string& token) {
  const auto header = req.header("authorization");
  constexpr std::string_view k_bearer = "Bearer ";
  if (!header || header->size() <= k_bearer.size() ||
      !util::iequals(header->substr(0, k_bearer.size()), k_bearer)) {
    return false;
  }
  // Digests of equal length: the comparison tells nothing of the token's length either.
  return crypto::constant_time_equals(crypto::sha256(util::trim(header->substr(k_bearer.size()))),
                                      crypto::sha256(token));
}

// Made once: asking libcurl its version loads it (and unloads it again when nothing else uses it).
const metrics::BuildInfo& build_info() {
  static const metrics::BuildInfo info{k_version, metrics::revision(), sqlite3_libversion(),
                                       crypto::openssl_version(), net::curl::library_version()};
  return info;
}

// The instance's gauges, made at most once per k_instance_ttl by each process.
std::string instance_gauges(RouteContext& ctx) {
  static metrics::KeptText kept(k_instance_ttl);
  return kept.get([&] { return overview::prometheus_text(ctx.env.db, ctx.env.clock.now()); });
}

Response metrics_page(RouteContext& ctx) {
  const instance::Settings settings(ctx.env.db);
  const Access access = access_of(settings);
  if (access == Access::off) return error_response(404, "Record not found");
  if (access == Access::local && !from_trusted_address(ctx.req)) {
    return error_response(403, "Metrics are served to local addresses only");
  }
  if (access == Access::token) {
    std::string token;
    try {
      token = read_token(settings.get("server.metrics_token_file"));
    } catch (const Error& e) {
      Response r = error_response(500, "Internal server error");
      r.log_note = e.what();
      return r;
    }
    if (!token_matches(ctx.req, token)) {
      Response r = error_response(401, "A valid bearer token is required");
      r.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
      return r;
    }
  }
  Response r;
  r.content_type = k_exposition;
  r.body = metrics::render_process(build_info()) + instance_gauges(ctx);
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_metrics_routes(Router& r) { r.add("GET", "/metrics", metrics_page); }

void count_requests(const Router& router, db::Connection& db, ServerHooks& hooks) {
  const instance::Settings settings(db);
  const Access access = access_of(settings);
  if (access == Access::off) return;
  if (access == Access::token) read_token(settings.get("server.metrics_token_file"));
  metrics::set_http_routes(router.templates());
  hooks.on_request = [&router, then = std::move(hooks.on_request)](const Request& req, int status,
                                                                   std::size_t bytes, double ms) {
    metrics::observe_request(router.template_of(req.path), req.method, status, ms / 1000);
    if (then) then(req, status, bytes, ms);
  };
}

}  // namespace instctl::http
