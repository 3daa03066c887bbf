#include "instctl/util/html.hpp"

namespace instctl::util {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string text_to_html(std::string_view text) {
  std::string out;
  std::string para;
  auto flush = [&] {
    if (!para.empty()) out += "<p>" + para + "</p>";
    para.clear();
  };
  std::size_t pos = 0;
  bool previous_blank = false;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      if (!previous_blank) flush();
      previous_blank = true;
    } else {
      if (!para.empty()) para += "<br>";
      para += html_escape(line);
      previous_blank = false;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  flush();
  return out;
}

}  // namespace instctl::util
