#pragma once

// The server's request and response, free of any HTTP library: handlers, the router and the
// tests use these; only http/server.cpp converts them to and from the wire. Plain data and
// pure functions, below the concepts (in net/, namespace http) so that the request parsers
// (http_framing.hpp) build and are fuzzed without the server.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instctl/core/json.hpp"

namespace instctl {
struct Env;  // db/env.hpp: a worker's connection and settings, which Pending::finish is given
}  // namespace instctl

namespace instctl::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // as sent, upper case: GET, HEAD, POST...
  std::string target;  // path and query, as sent
  std::string path;    // the target up to '?'
  std::string query;   // after '?', still percent-encoded
  Headers headers;     // names in lower case
  std::string body;
  std::string remote;  // the client's address
  bool http_1_0 = false;

  // The first header of that name (lower case), if any.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // A decoded query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
  // Splits `target` into path and query.
  void set_target(std::string t);
};

struct Response;

// Work that waits on another server. Handlers run on the server's workers, which hold database
// connections and must not wait on the network: a handler that needs something from another
// server returns a Response whose `pending` is set. The server then calls start() (on no
// worker in particular; it must not block), and once `done` has been called (from any thread,
// exactly once), runs finish() on a worker with that worker's environment: its answer is the
// request's (it may be pending again).
class Pending {
 public:
  virtual ~Pending() = default;
  virtual void start(std::function<void()> done) = 0;
  virtual Response finish(Env& env) = 0;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  Headers headers;  // besides Content-Type, Content-Length, Date, Server, Connection
  // For the server's error log, never sent: what went wrong inside (a 500's cause).
  std::string log_note;
  // Set by the router for answers that depend only on the request and the database (see
  // Caching): the server thread may answer the same request again from its ResponseCache.
  bool cacheable = false;
  // Set by the worker on a cacheable answer: the database's version it was made at, as that
  // worker's connection reads it (Connection::data_version). The event loop keeps such answers
  // (LoopCache).
  std::optional<std::uint64_t> version;
  // Set when the answer must wait on another server (the inbox's key fetch): the server
  // starts the wait without holding a worker, then sends what Pending::finish answers.
  std::shared_ptr<Pending> pending;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

namespace media {
inline constexpr const char* k_json = "application/json; charset=utf-8";
inline constexpr const char* k_activity = "application/activity+json; charset=utf-8";
inline constexpr const char* k_jrd = "application/jrd+json; charset=utf-8";
inline constexpr const char* k_xrd = "application/xrd+xml; charset=utf-8";
inline constexpr const char* k_text = "text/plain; charset=utf-8";
}  // namespace media

Response json_response(int status, const Json& body, const char* content_type = media::k_json);
// {"error": message}, as Mastodon's API answers errors.
Response error_response(int status, std::string_view message);
// A handler's answer that waits on `pending` (see Pending).
Response wait_for(std::shared_ptr<Pending> pending);

// True when the Accept header asks for an ActivityPub document (activity+json or ld+json).
bool wants_activity_json(const Request& req);
// True when a browser asks: the Accept header names text/html and no ActivityPub type.
bool wants_html(const Request& req);

}  // namespace instctl::http
