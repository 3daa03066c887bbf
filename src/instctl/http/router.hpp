#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/db/env.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/net/http_message.hpp"

namespace instctl::http {

// What `instctl serve` was told on its command line that changes answers.
// (--public-url applies to the whole process: see instance::override_public_url.)
struct SiteOverrides {
  // Where serve listens. When set, requests must name the instance (or this address) as
  // their Host: see check_host.
  std::string listen_host;
  std::uint16_t listen_port = 0;
};

// One request's view of the instance: the request, the services' environment (this worker's
// database connection), the path parameters, and the instance as stored right now.
class RouteContext {
 public:
  RouteContext(const Request& r, Env& e) : req(r), env(e) {}

  const Request& req;
  Env& env;
  std::vector<std::pair<std::string, std::string>> params;

  // A path parameter ({name} in the route's pattern), percent-decoded.
  const std::string& param(std::string_view name) const;
  // The instance, read from the database once per request (no cache across requests, so a
  // change made with the command line shows at the next request).
  const instance::InstanceInfo& site();

 private:
  std::optional<instance::InstanceInfo> m_site;
};

using Handler = Response (*)(RouteContext&);

// Whether a route's answers may be kept by the server thread (ResponseCache) until the database
// changes. Only for public documents whose answer depends on nothing but the request's target,
// Host and Accept, the database, and the time to within a second: never pages with forms
// (CSRF tokens), rate-limited routes, or anything that writes.
enum class Caching { none, until_change };

// Matches METHOD and a path pattern such as /users/{username}/outbox or /@{username} (a
// parameter may follow a literal prefix in its segment). Services' errors become
// statuses (not_found 404, usage and invalid_data 400, conflict 409, policy 403, remote 502);
// internal errors answer 500 without their message, which goes to the error log instead.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Caching caching = Caching::none);
  Response dispatch(const Request& req, Env& env, const SiteOverrides& overrides) const;
  // Whether the route that answers `req` has Caching::until_change (its answer may be kept).
  bool may_cache(const Request& req) const;

  // The distinct path patterns, in the order they were added (metrics' route label).
  const std::vector<std::string>& templates() const { return m_templates; }
  // The index in templates() of the first pattern that `path` matches, whatever the method;
  // templates().size() when none does. Cheap (no allocation, no decoding), for every request.
  std::size_t template_of(std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    Caching caching;
    std::size_t template_index = 0;
  };
  const Route* route_for(const Request& req,
                         std::vector<std::pair<std::string, std::string>>& params,
                         bool& path_matched) const;
  const Route* match(std::string_view method, std::string_view path,
                     std::vector<std::pair<std::string, std::string>>& params,
                     bool& path_matched) const;
  std::vector<Route> m_routes;
  std::vector<std::string> m_templates;
};

int status_for(ErrorKind kind);
// 503 for a failure that passes (Error::retry_later: a busy database), else the kind's.
int status_for(const Error& e);
// How long a client is asked to wait before trying again after a 503 (Retry-After).
constexpr int k_retry_after_s = 30;
// An API's answer to an error: the status's reason phrase as the body (the operator's
// message goes to the error log), Retry-After when it passes.
Response error_response_for(const Error& e);
const char* reason_phrase(int status);

}  // namespace instctl::http
