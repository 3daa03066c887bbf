#include "instctl/http/server_log.hpp"

#include <fmt/format.h>

#include <chrono>

#include "instctl/crypto/http_signature.hpp"
#include "instctl/crypto/structured_field.hpp"
#include "instctl/http/access_log.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/json_line.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

namespace {

constexpr std::size_t k_max_target = 1024;
constexpr std::size_t k_max_request_id = 128;
constexpr std::size_t k_max_key_id = 512;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "error";
}

std::string cut(std::string_view text, std::size_t max) {
  std::string out(text.substr(0, max));
  if (text.size() > max) out += "...";
  return out;
}

// The keyId a signed request names: draft-cavage's Signature, or RFC 9421's Signature-Input.
std::optional<std::string> claimed_key_id(const Request& req) {
  if (auto sig = req.header("signature")) {
    if (!req.header("signature-input")) {
      if (auto params = crypto::parse_signature_header(*sig)) return params->key_id;
      return std::nullopt;
    }
  }
  const auto input = req.header("signature-input");
  if (!input) return std::nullopt;
  const auto dict = crypto::sf::parse_dictionary(*input);
  if (!dict || dict->empty()) return std::nullopt;
  const auto* list = std::get_if<crypto::sf::InnerList>(&dict->front().second);
  if (list == nullptr) return std::nullopt;
  const auto* key = crypto::sf::find(list->params, "keyid");
  if (key == nullptr) return std::nullopt;
  const auto* text = std::get_if<std::string>(key);
  if (text == nullptr) return std::nullopt;
  return *text;
}

void request_fields(util::JsonLine& line, const Request& req) {
  line.field("method", cut(req.method, 32));
  line.field("path", cut(redact_target(req.target), k_max_target));
}

void client_fields(util::JsonLine& line, const Request& req) {
  const std::string client = client_address(req);
  if (!client.empty()) line.field("client", client);
  if (auto id = req.header("x-request-id")) line.field("request_id", cut(*id, k_max_request_id));
}

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

std::int64_t log_clock_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string access_line(LogFormat format, std::int64_t unix_millis, const Request& req, int status,
                        std::size_t bytes, double duration_ms) {
  if (format == LogFormat::text) {
    const std::string client = client_address(req);
    return fmt::format("{} {} {} {} {} {} {:.3f}ms\n", util::format_time(unix_millis / 1000),
                       client.empty() ? "-" : client, loggable(req.method),
                       loggable(redact_target(req.target)), status, bytes, duration_ms);
  }
  util::JsonLine line;
  line.field("ts", util::rfc3339_millis(unix_millis))
      .field("level", "info")
      .field("msg", "request");
  request_fields(line, req);
  line.field("status", status).field("bytes", bytes).field("duration_ms", duration_ms, 3);
  client_fields(line, req);
  if (auto key = claimed_key_id(req)) line.field("key_id", cut(*key, k_max_key_id));
  return line.finish();
}

std::string error_line(LogFormat format, std::int64_t unix_millis, LogLevel level,
                       std::string_view message, const Request* req) {
  if (format == LogFormat::text) {
    std::string text = level == LogLevel::error ? "error: " : "";
    // The target as the access log shows it: credentials in it never reach a log.
    if (req)
      text += fmt::format("{} {}: ", loggable(req->method), loggable(redact_target(req->target)));
    text += util::escape_control(message);
    return fmt::format("{} instctl: {}\n", util::format_time(unix_millis / 1000), text);
  }
  util::JsonLine line;
  line.field("ts", util::rfc3339_millis(unix_millis))
      .field("level", level_name(level))
      .field("msg", message);
  if (req) {
    request_fields(line, *req);
    client_fields(line, *req);
  }
  return line.finish();
}

}  // namespace instctl::http
