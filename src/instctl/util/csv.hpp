#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::util {

struct CsvRecord {
  std::size_t line = 0;  // where the record starts, 1-based
  std::vector<std::string> fields;
};

// RFC 4180: commas, double-quoted fields with "" for a quote, CRLF or LF line ends, quoted
// fields may span lines. Blank lines are skipped. Throws Error(invalid_data) naming the line of
// an unterminated quote.
std::vector<CsvRecord> parse_csv(std::string_view text);

}  // namespace instctl::util
