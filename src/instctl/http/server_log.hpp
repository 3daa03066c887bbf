#pragma once

// The lines of serve's two logs, in either format (serve --log-format, server.log_format):
//
// text (the default), for people:
//   access: 2026-11-28T07:12:09Z 127.0.0.1 GET /users/alice 200 1412 0.311ms
//   error:  2026-11-28T07:12:09Z instctl: error: GET /inbox: inbox refused a Follow: ...
// json, one object per line, for journald, Loki, jq:
//   {"ts":"2026-11-28T07:12:09.311Z","level":"info","msg":"request","method":"GET",
//    "path":"/users/alice","status":200,"bytes":1412,"duration_ms":0.311,"client":"127.0.0.1"}
//
// Fields (json; the names are stable, see instctl-serve(1)):
//   ts           RFC 3339, UTC, milliseconds
//   level        info, warning or error
//   msg          "request" on access lines; the message on error lines
//   method, path the request's method and target (query included, secrets redacted as in
//                redact_target, cut at 1024 bytes); on error lines when a request caused it
//   status, bytes, duration_ms   the answer's status, body bytes, time since the first byte
//   client       the client's address (X-Forwarded-For from a trusted proxy)
//   request_id   the request's X-Request-Id, when it has one (cut at 128 bytes)
//   key_id       the keyId a signed request names (as claimed: status says if it verified)
// Outside text is escaped in both: text lines through util::escape_control (loggable), json
// strings through util::append_json_string (invalid UTF-8 becomes U+FFFD).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

enum class LogFormat { text, json };
enum class LogLevel { info, warning, error };

// "text" or "json"; nullopt otherwise.
std::optional<LogFormat> parse_log_format(std::string_view name);

// One access log line, with its line break. `unix_millis` is the time it is written.
std::string access_line(LogFormat format, std::int64_t unix_millis, const Request& req, int status,
                        std::size_t bytes, double duration_ms);

// One error log line, with its line break; `req` is the request it is about, if any.
std::string error_line(LogFormat format, std::int64_t unix_millis, LogLevel level,
                       std::string_view message, const Request* req = nullptr);

// The current time in Unix milliseconds (the logs' clock: real time, not INSTCTL_NOW).
std::int64_t log_clock_millis();

}  // namespace instctl::http
