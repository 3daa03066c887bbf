#pragma once

// The server's request and response, free of any HTTP library: handlers, the router and the
// tests use these; only server.cpp converts them to and from the wire.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instctl/core/json.hpp"

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
  // Set by the server when the request runs on a blocking loop, where a handler may do slow
  // work (make an RSA key pair, wait on another server). On an event loop it is false, and a
  // handler that meets such work answers run_where_blocking() instead.
  bool may_block = false;

  // The first header of that name (lower case), if any.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // A decoded query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
  // Splits `target` into path and query.
  void set_target(std::string t);
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
  // The handler met slow work on an event loop (see Request::may_block): the server runs the
  // request again on a blocking loop and sends that answer; this one is never sent or kept.
  bool needs_blocking = false;

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
// The answer of a handler that must do slow work and was called with !req.may_block.
Response run_where_blocking();

// True when the Accept header asks for an ActivityPub document (activity+json or ld+json).
bool wants_activity_json(const Request& req);
// True when a browser asks: the Accept header names text/html and no ActivityPub type.
bool wants_html(const Request& req);

}  // namespace instctl::http
