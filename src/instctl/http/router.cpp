#include "instctl/http/router.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "instctl/core/error.hpp"
#include "instctl/http/host_check.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  return util::split(path, '/');
}

struct Param {
  std::string_view prefix;  // literal text before the parameter: "@" in "@{username}"
  std::string_view name;
};

// A pattern segment that holds a parameter: {name}, or a literal prefix then {name}.
std::optional<Param> param_of(std::string_view segment) {
  const auto open = segment.find('{');
  if (open == std::string_view::npos || segment.size() < open + 3 || segment.back() != '}') {
    return std::nullopt;
  }
  return Param{segment.substr(0, open), segment.substr(open + 1, segment.size() - open - 2)};
}

}  // namespace

const std::string& RouteContext::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  throw Error(ErrorKind::internal, fmt::format("route has no parameter '{}'", name));
}

const instance::InstanceInfo& RouteContext::site() {
  if (!m_site) m_site = instance::load(env.db);
  return *m_site;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Record not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Payload too large";
    case 431:
      return "Request header fields too large";
    case 502:
      return "Bad gateway";
    case 503:
      return "Service unavailable";
    default:
      return status >= 500 ? "Internal server error" : "Error";
  }
}

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::usage:
    case ErrorKind::invalid_data:
      return 400;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::policy:
      return 403;
    case ErrorKind::remote:
      return 502;
    case ErrorKind::partial:
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

int status_for(const Error& e) { return e.retry_later() ? 503 : status_for(e.kind()); }

Response error_response_for(const Error& e) {
  const int status = status_for(e);
  Response r = error_response(status, reason_phrase(status));
  if (e.retry_later()) r.header("Retry-After", std::to_string(k_retry_after_s));
  if (status >= 500) r.log_note = e.what();
  return r;
}

void Router::add(std::string method, std::string pattern, Handler handler, Caching caching) {
  auto known = std::find(m_templates.begin(), m_templates.end(), pattern);
  const auto index = static_cast<std::size_t>(known - m_templates.begin());
  if (known == m_templates.end()) m_templates.push_back(pattern);
  m_routes.push_back({std::move(method), split_path(pattern), handler, caching, index});
}

std::size_t Router::template_of(std::string_view path) const {
  constexpr std::size_t k_max_segments = 16;
  std::array<std::string_view, k_max_segments> segments;
  std::size_t n = 0;
  if (path.empty() || path.front() != '/') return m_templates.size();
  path.remove_prefix(1);
  while (!path.empty()) {
    if (n == k_max_segments) return m_templates.size();
    const auto slash = path.find('/');
    segments[n++] = path.substr(0, slash);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) {  // a trailing slash: an empty last segment, as split_path has it
      if (n == k_max_segments) return m_templates.size();
      segments[n++] = {};
    }
  }
  for (const auto& route : m_routes) {
    if (route.segments.size() != n) continue;
    bool ok = true;
    for (std::size_t i = 0; ok && i < n; ++i) {
      const std::string_view pattern = route.segments[i];
      if (const auto param = param_of(pattern)) {
        ok = segments[i].size() > param->prefix.size() && segments[i].starts_with(param->prefix);
      } else {
        ok = pattern == segments[i];
      }
    }
    if (ok) return route.template_index;
  }
  return m_templates.size();
}

const Router::Route* Router::match(std::string_view method, std::string_view path,
                                   std::vector<std::pair<std::string, std::string>>& params,
                                   bool& path_matched) const {
  const auto segments = split_path(path);
  for (const auto& route : m_routes) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> found;
    bool ok = true;
    for (std::size_t i = 0; ok && i < segments.size(); ++i) {
      if (const auto param = param_of(route.segments[i])) {
        const std::string_view segment = segments[i];
        ok = segment.starts_with(param->prefix);
        if (!ok) continue;
        auto value = util::percent_decode(segment.substr(param->prefix.size()), false);
        ok = value && !value->empty();
        if (ok) found.emplace_back(std::string(param->name), *value);
      } else {
        ok = route.segments[i] == segments[i];
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (route.method != method) continue;
    params = std::move(found);
    return &route;
  }
  return nullptr;
}

const Router::Route* Router::route_for(const Request& req,
                                       std::vector<std::pair<std::string, std::string>>& params,
                                       bool& path_matched) const {
  const Route* route = match(req.method, req.path, params, path_matched);
  // HEAD is answered by the GET route, without the body.
  if (!route && req.method == "HEAD") route = match("GET", req.path, params, path_matched);
  return route;
}

bool Router::may_cache(const Request& req) const {
  std::vector<std::pair<std::string, std::string>> params;
  bool path_matched = false;
  const Route* route = route_for(req, params, path_matched);
  return route != nullptr && route->caching == Caching::until_change;
}

Response Router::dispatch(const Request& req, Env& env, const SiteOverrides& overrides) const {
  RouteContext ctx(req, env);
  if (overrides.listen_port != 0) {
    const auto& site = ctx.site();
    const HostNames names{site.domain, site.account_domain, site.public_url, overrides.listen_host,
                          overrides.listen_port};
    if (auto refused = check_host(req, names)) return *refused;
  }
  bool path_matched = false;
  const Route* route = route_for(req, ctx.params, path_matched);
  if (!route) {
    if (path_matched) return error_response(405, "Method not allowed");
    return error_response(404, "Record not found");
  }
  try {
    Response r = route->handler(ctx);
    r.cacheable = route->caching == Caching::until_change && r.status < 500 && !r.pending;
    return r;
  } catch (const Error& e) {
    // Clients get the status's meaning, the error log gets the operator's message.
    return error_response_for(e);
  } catch (const std::exception& e) {
    Response r = error_response(500, "Internal server error");
    r.log_note = e.what();
    return r;
  }
}

}  // namespace instctl::http
