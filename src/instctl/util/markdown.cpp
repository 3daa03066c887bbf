#include "instctl/util/markdown.hpp"

#include <optional>

#include "instctl/util/strings.hpp"

namespace instctl::util::markdown {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

void add_text(Line& line, std::string_view text) {
  if (text.empty()) return;
  if (!line.empty() && line.back().kind == SpanKind::text) {
    line.back().text += text;
  } else {
    line.push_back({SpanKind::text, std::string(text), ""});
  }
}

// The text between `open` at i and the next `close` on the line, if any (not empty).
std::optional<std::string_view> delimited(std::string_view s, std::size_t i, std::string_view open,
                                          std::string_view close) {
  if (s.substr(i, open.size()) != open) return std::nullopt;
  const auto end = s.find(close, i + open.size());
  if (end == std::string_view::npos || end == i + open.size()) return std::nullopt;
  return s.substr(i + open.size(), end - i - open.size());
}

// The heading level of "## Title", or 0.
int heading_level(std::string_view line) {
  int n = 0;
  while (n < static_cast<int>(line.size()) && line[n] == '#') ++n;
  if (n == 0 || n > 6 || n >= static_cast<int>(line.size()) || !is_space(line[n])) return 0;
  return n;
}

bool is_rule(std::string_view line) {
  const auto t = trim(line);
  if (t.size() < 3) return false;
  const char c = t.front();
  if (c != '-' && c != '*' && c != '_') return false;
  for (char x : t) {
    if (x != c && !is_space(x)) return false;
  }
  return true;
}

// The text after a list marker ("- ", "* ", "+ ", "1. ", "1) "), or nothing.
std::optional<std::pair<BlockKind, std::string_view>> list_item(std::string_view line) {
  const auto t = trim_left(line);
  if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && is_space(t[1])) {
    return std::pair{BlockKind::bullet_list, trim_left(t.substr(2))};
  }
  std::size_t n = 0;
  while (n < t.size() && n < 9 && t[n] >= '0' && t[n] <= '9') ++n;
  if (n > 0 && n + 1 < t.size() && (t[n] == '.' || t[n] == ')') && is_space(t[n + 1])) {
    return std::pair{BlockKind::ordered_list, trim_left(t.substr(n + 2))};
  }
  return std::nullopt;
}

// The ')' that closes a link's target starting at `from`, counting nested parentheses.
std::size_t closing_paren(std::string_view s, std::size_t from) {
  int depth = 0;
  for (std::size_t j = from; j < s.size(); ++j) {
    if (s[j] == '(') ++depth;
    if (s[j] == ')' && depth-- == 0) return j;
  }
  return std::string_view::npos;
}

}  // namespace

bool safe_href(std::string_view href) {
  const auto l = to_lower(href);
  if (href.find_first_of(" \t\r\n\"'<>`") != std::string_view::npos) return false;
  return starts_with_ci(l, "https://") || starts_with_ci(l, "http://") ||
         starts_with_ci(l, "mailto:") ||
         (l.size() >= 1 && l[0] == '/' && (l.size() == 1 || l[1] != '/'));
}

Line parse_inline(std::string_view s) {
  Line line;
  std::size_t plain = 0;  // start of the text not yet added
  std::size_t i = 0;
  auto flush = [&](std::size_t upto) { add_text(line, s.substr(plain, upto - plain)); };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() &&
        std::string_view("\\`*_[]()#+-.!>").find(s[i + 1]) != std::string_view::npos) {
      flush(i);
      add_text(line, s.substr(i + 1, 1));
      i += 2;
      plain = i;
      continue;
    }
    std::optional<Span> span;
    std::size_t next = i;
    if (auto code = delimited(s, i, "`", "`")) {
      span = Span{SpanKind::code, std::string(*code), ""};
      next = i + code->size() + 2;
    } else if (auto strong = delimited(s, i, "**", "**")) {
      span = Span{SpanKind::strong, std::string(*strong), ""};
      next = i + strong->size() + 4;
    } else if (c == '*' || c == '_') {
      const std::string d(1, c);
      if (auto em = delimited(s, i, d, d); em && !is_space(em->front())) {
        span = Span{SpanKind::em, std::string(*em), ""};
        next = i + em->size() + 2;
      }
    } else if (c == '[') {
      const auto close = s.find("](", i + 1);
      const auto end = close == std::string_view::npos ? close : closing_paren(s, close + 2);
      if (end != std::string_view::npos && close > i + 1) {
        const auto text = s.substr(i + 1, close - i - 1);
        const auto href = trim(s.substr(close + 2, end - close - 2));
        span = safe_href(href) ? Span{SpanKind::link, std::string(text), std::string(href)}
                               : Span{SpanKind::text, std::string(text), ""};
        next = end + 1;
      }
    }
    if (!span) {
      ++i;
      continue;
    }
    flush(i);
    if (span->kind == SpanKind::text)
      add_text(line, span->text);
    else
      line.push_back(std::move(*span));
    i = next;
    plain = i;
  }
  flush(s.size());
  return line;
}

std::vector<Block> parse(std::string_view text) {
  std::vector<Block> out;
  bool open = false;  // the last block still takes lines
  for (auto raw : split(text, '\n')) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      open = false;
      continue;
    }
    if (const int level = heading_level(line)) {
      out.push_back({BlockKind::heading, level, {{parse_inline(trim(line.substr(level)))}}});
      open = false;
      continue;
    }
    if (is_rule(line)) {
      out.push_back({BlockKind::rule, 0, {}});
      open = false;
      continue;
    }
    if (auto item = list_item(line)) {
      if (!open || out.back().kind != item->first) out.push_back({item->first, 0, {}});
      out.back().items.push_back({parse_inline(item->second)});
      open = true;
      continue;
    }
    const auto t = trim_left(line);
    if (!t.empty() && t.front() == '>') {
      auto rest = trim_left(t.substr(1));
      if (!open || out.back().kind != BlockKind::quote) out.push_back({BlockKind::quote, 0, {{}}});
      out.back().items.back().push_back(parse_inline(rest));
      open = true;
      continue;
    }
    // A line of text continues the open paragraph, list item or quote, or starts a paragraph.
    if (!open) out.push_back({BlockKind::paragraph, 0, {{}}});
    out.back().items.back().push_back(parse_inline(trim(line)));
    open = true;
  }
  return out;
}

}  // namespace instctl::util::markdown
