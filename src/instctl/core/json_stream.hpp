#pragma once

// Streaming readers for JSON documents too large to hold in memory: the elements of a
// top-level array one at a time, and NDJSON lines. They find where each element starts and
// ends (with its line number) and leave parsing it to the caller.

#include <cstddef>
#include <optional>
#include <string>

#include "instctl/core/byte_reader.hpp"

namespace instctl {

struct TextItem {
  std::string text;
  std::size_t line = 0;                // where the item starts (1-based)
  std::optional<std::string> problem;  // why it could not be read (too long, cut off)
};

class JsonArrayReader {
 public:
  JsonArrayReader(ByteReader& in, std::size_t max_item_bytes);
  // Consumes the opening '['; false when the input does not start with one.
  bool open();
  // The next element's text; false after the closing ']'. When the array is cut off or
  // malformed between elements, the item carries the problem and the reading ends there.
  bool next(TextItem& item);

 private:
  int skip_whitespace();
  void scan_value(TextItem& item);

  ByteReader& m_in;
  std::size_t m_max;
  std::size_t m_line = 1;
  bool m_done = false;
  bool m_first = true;
};

// NDJSON: one item per line; blank lines are skipped, a CR before the LF is dropped.
class LineItemReader {
 public:
  LineItemReader(ByteReader& in, std::size_t max_item_bytes);
  bool next(TextItem& item);

 private:
  ByteReader& m_in;
  std::size_t m_max;
  std::size_t m_line = 0;
};

}  // namespace instctl
