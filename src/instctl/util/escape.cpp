#include "instctl/util/escape.hpp"

#include <fmt/format.h>

#include "instctl/util/strings.hpp"

namespace instctl::util {

namespace {

// What one step through outside text finds: the rule both escapings share.
enum class Unit { invalid_byte, c0, del, c1, text };

struct Step {
  Unit unit;
  std::size_t length;  // bytes taken
  unsigned code;       // the byte (invalid_byte, c0, del) or the code point (c1)
};

Step step(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = utf8_sequence_length(text, i);
  if (n == 0) return {Unit::invalid_byte, 1, c};
  if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
    return {Unit::c1, 2, static_cast<unsigned char>(text[i + 1])};
  }
  if (n == 1 && c < 0x20) return {Unit::c0, 1, c};
  if (n == 1 && c == 0x7F) return {Unit::del, 1, c};
  return {Unit::text, n, c};
}

// The C0 controls both escapings write by name; nullptr for the others.
const char* named(unsigned c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return nullptr;
  }
}

}  // namespace

std::string escape_control(std::string_view text, std::string_view also) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Step s = step(text, i);
    switch (s.unit) {
      case Unit::invalid_byte:
        out += fmt::format("\\x{:02x}", s.code);
        break;
      case Unit::c1:
        out += fmt::format("\\u{:04x}", s.code);
        break;
      case Unit::c0:
        if (const char* name = named(s.code))
          out += name;
        else
          out += fmt::format("\\x{:02x}", s.code);
        break;
      case Unit::del:
        out += "\\x7f";
        break;
      case Unit::text:
        if (s.length == 1 && also.find(text[i]) != std::string_view::npos) {
          out += fmt::format("\\x{:02x}", s.code);
        } else {
          out.append(text.substr(i, s.length));
        }
        break;
    }
    i += s.length;
  }
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    // A run of printable ASCII other than '"' and '\\' goes as it is, at once: most text.
    std::size_t plain = i;
    while (plain < text.size()) {
      const auto c = static_cast<unsigned char>(text[plain]);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') break;
      ++plain;
    }
    if (plain > i) {
      out.append(text.substr(i, plain - i));
      i = plain;
      continue;
    }
    const Step s = step(text, i);
    switch (s.unit) {
      case Unit::invalid_byte:
        out += "\\ufffd";
        break;
      case Unit::c0:
        if (const char* name = named(s.code))
          out += name;
        else
          out += fmt::format("\\u{:04x}", s.code);
        break;
      case Unit::del:
      case Unit::c1:
        out += fmt::format("\\u{:04x}", s.code);
        break;
      case Unit::text:
        if (text[i] == '"')
          out += "\\\"";
        else if (text[i] == '\\')
          out += "\\\\";
        else
          out.append(text.substr(i, s.length));
        break;
    }
    i += s.length;
  }
  out.push_back('"');
}

std::string escape_control_lines(std::string_view text) {
  auto lines = split(text, '\n');
  for (auto& line : lines) line = escape_control(line);
  return join(lines, "\n");
}

}  // namespace instctl::util
