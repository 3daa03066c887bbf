#include "instctl/util/escape.hpp"

#include <fmt/format.h>

#include "instctl/util/strings.hpp"

namespace instctl::util {

std::string escape_control(std::string_view text, std::string_view also) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", c);  // not UTF-8: the byte itself
      ++i;
      continue;
    }
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));  // C1
    } else if (n > 1) {
      out.append(text.substr(i, n));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F || also.find(static_cast<char>(c)) != std::string_view::npos) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
    i += n;
  }
  return out;
}

std::string escape_control_lines(std::string_view text) {
  auto lines = split(text, '\n');
  for (auto& line : lines) line = escape_control(line);
  return join(lines, "\n");
}

}  // namespace instctl::util
