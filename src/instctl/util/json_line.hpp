#pragma once

// One JSON object on one line, for logs a machine reads (serve --log-format json) and for the
// details of the audit entries written many at a time (a subscription refresh). Strings go
// through util::append_json_string (escape.hpp): control characters escaped, invalid UTF-8 as
// U+FFFD, so every line parses whatever outside text it carries.
//
//   util::JsonLine line;
//   line.field("ts", "2026-11-28T07:12:09.311Z").field("status", 200);
//   std::string text = line.finish();   // {"ts":"2026-11-28T07:12:09.311Z","status":200}\n

#include <cstdint>
#include <string>
#include <string_view>

namespace instctl::util {

class JsonLine {
 public:
  JsonLine() = default;
  // With room for `capacity` characters made at once (many objects of a known shape).
  explicit JsonLine(std::size_t capacity) { m_text.reserve(capacity); }
  JsonLine& field(std::string_view key, std::string_view value);
  JsonLine& field(std::string_view key, const char* value) {
    return field(key, std::string_view(value));
  }
  JsonLine& field(std::string_view key, std::int64_t value);
  JsonLine& field(std::string_view key, int value) {
    return field(key, static_cast<std::int64_t>(value));
  }
  JsonLine& field(std::string_view key, std::size_t value);
  JsonLine& field(std::string_view key, bool value);
  // A number with `decimals` digits after the point (a duration in milliseconds).
  JsonLine& field(std::string_view key, double value, int decimals);
  // The object, closed, with its line break. The builder is empty again afterwards.
  std::string finish();
  // The same without the line break: a JSON value stored in a column (an audit entry's details).
  std::string object();

 private:
  void key(std::string_view k);
  std::string m_text = "{";
};

// A time as RFC 3339 in UTC with milliseconds: 2026-11-28T07:12:09.311Z.
std::string rfc3339_millis(std::int64_t unix_millis);

}  // namespace instctl::util
