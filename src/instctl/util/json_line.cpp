#include "instctl/util/json_line.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "instctl/util/escape.hpp"
#include "instctl/util/time.hpp"

namespace instctl::util {

void JsonLine::key(std::string_view k) {
  if (m_text.size() > 1) m_text.push_back(',');
  append_json_string(m_text, k);
  m_text.push_back(':');
}

JsonLine& JsonLine::field(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(m_text, value);
  return *this;
}

JsonLine& JsonLine::field(std::string_view k, std::int64_t value) {
  key(k);
  fmt::format_to(std::back_inserter(m_text), "{}", value);
  return *this;
}

JsonLine& JsonLine::field(std::string_view k, std::size_t value) {
  key(k);
  fmt::format_to(std::back_inserter(m_text), "{}", value);
  return *this;
}

JsonLine& JsonLine::field(std::string_view k, bool value) {
  key(k);
  m_text += value ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::field(std::string_view k, double value, int decimals) {
  key(k);
  // JSON has no NaN or infinity.
  if (!std::isfinite(value)) value = 0;
  m_text += fmt::format("{:.{}f}", value, decimals);
  return *this;
}

std::string JsonLine::finish() {
  std::string out = object();
  out.push_back('\n');
  return out;
}

std::string JsonLine::object() {
  std::string out = std::move(m_text);
  out.push_back('}');
  // One character, not a literal: GCC 12 misreads libstdc++'s assign of a literal into a
  // moved-from string (GCC bug 105329, -Wrestrict and -Wstringop-overflow false positives).
  m_text.assign(1, '{');
  return out;
}

std::string rfc3339_millis(std::int64_t unix_millis) {
  const std::int64_t seconds = unix_millis / 1000;
  const std::string whole = format_time(seconds);  // 2026-11-28T07:12:09Z
  return fmt::format("{}.{:03d}Z", whole.substr(0, whole.size() - 1), unix_millis % 1000);
}

}  // namespace instctl::util
