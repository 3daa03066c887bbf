#include "instctl/core/json_stream.hpp"

#include <fmt/format.h>

namespace instctl {

namespace {
bool is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void add(TextItem& item, std::size_t max, int c) {
  if (item.problem) return;
  if (item.text.size() >= max) {
    item.problem = fmt::format("the row is longer than {} bytes", max);
    item.text.clear();
    item.text.shrink_to_fit();
    return;
  }
  item.text += static_cast<char>(c);
}
}  // namespace

JsonArrayReader::JsonArrayReader(ByteReader& in, std::size_t max_item_bytes)
    : m_in(in), m_max(max_item_bytes) {}

int JsonArrayReader::skip_whitespace() {
  for (int c = m_in.peek(); is_space(c); c = m_in.peek()) {
    if (m_in.get() == '\n') ++m_line;
  }
  return m_in.peek();
}

bool JsonArrayReader::open() {
  if (skip_whitespace() != '[') return false;
  m_in.get();
  return true;
}

// Up to (not including) the ',' or ']' that ends the value at depth 0.
void JsonArrayReader::scan_value(TextItem& item) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (;;) {
    const int c = m_in.peek();
    if (c == ByteReader::k_eof) return;
    if (!in_string && depth == 0 && (c == ',' || c == ']')) return;
    m_in.get();
    if (c == '\n') ++m_line;
    add(item, m_max, c);
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
}

bool JsonArrayReader::next(TextItem& item) {
  item.text.clear();
  item.problem.reset();
  if (m_done) return false;
  int c = skip_whitespace();
  if (m_first && c == ']') {
    m_in.get();
    m_done = true;
    return false;
  }
  m_first = false;
  item.line = m_line;
  if (c == ByteReader::k_eof) {
    m_done = true;
    item.problem = "the file ends inside the JSON array: the closing ']' is missing";
    return true;
  }
  scan_value(item);
  c = m_in.get();
  if (c == ']') {
    m_done = true;
    // A trailing comma before the ']' leaves nothing to read.
    if (!item.problem && item.text.find_first_not_of(" \t\r\n") == std::string::npos) return false;
  }
  if (c == ByteReader::k_eof) {
    m_done = true;
    if (!item.problem) {
      item.problem =
          "the file ends inside the JSON array (an element or the closing ']' is "
          "cut off); the rest of the file is lost";
    }
  }
  return true;
}

LineItemReader::LineItemReader(ByteReader& in, std::size_t max_item_bytes)
    : m_in(in), m_max(max_item_bytes) {}

bool LineItemReader::next(TextItem& item) {
  for (;;) {
    item.text.clear();
    item.problem.reset();
    int c = m_in.get();
    if (c == ByteReader::k_eof) return false;
    ++m_line;
    item.line = m_line;
    bool blank = true;
    for (; c != ByteReader::k_eof && c != '\n'; c = m_in.get()) {
      if (!is_space(c)) blank = false;
      add(item, m_max, c);
    }
    if (!item.text.empty() && item.text.back() == '\r') item.text.pop_back();
    if (!blank || item.problem) return true;
  }
}

}  // namespace instctl
