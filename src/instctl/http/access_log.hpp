#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "instctl/http/server_log.hpp"
#include "instctl/net/http_message.hpp"

namespace instctl::http {

// One line per request: time, client, method, target, status, body bytes, duration, as
// server_log.hpp writes it in the chosen format.
//   2026-11-28T07:12:09Z 127.0.0.1 GET /users/alice 200 1412 0.311ms
class AccessLog {
 public:
  // "-" writes to stdout; anything else is a file opened for appending (created 0640).
  // Throws Error(internal) naming the file when it cannot be opened.
  explicit AccessLog(const std::string& target, LogFormat format = LogFormat::text);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const Request& req, int status, std::size_t bytes, double milliseconds);

 private:
  std::mutex m_mutex;
  std::FILE* m_file = nullptr;
  bool m_owned = false;
  LogFormat m_format;
};

// The target as it goes into a log line: control characters and invalid UTF-8 escaped as
// util::escape_control does, spaces, quotes and backslashes as \xNN, and cut at 1024 bytes,
// so one request is always one line.
std::string loggable(std::string_view text);

// The target with its secrets replaced by "[redacted]": the code of an invite link
// (/invite/CODE), the token of an activation or password link (/auth/activate/TOKEN,
// /auth/reset/TOKEN) and the values of the query parameters that carry credentials (code, state,
// token, access_token, id_token, as a sign-in provider sends them back). Anyone holding a log
// must not be able to sign up or sign in with what it shows.
std::string redact_target(std::string_view target);

}  // namespace instctl::http
