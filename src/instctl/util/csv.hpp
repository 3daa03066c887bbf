#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::util {

struct CsvRecord {
  std::size_t line = 0;  // where the record starts, 1-based
  std::vector<std::string> fields;
  std::vector<bool> quoted;  // per field: written in quotes ("" differs from nothing)
};

// RFC 4180: commas, double-quoted fields with "" for a quote, CRLF or LF line ends, quoted
// fields may span lines, a UTF-8 byte-order mark is skipped. Blank lines are skipped. Throws
// Error(invalid_data) naming the line of an unterminated quote.
std::vector<CsvRecord> parse_csv(std::string_view text);

enum class QuoteEmpty { no, yes };
// A field as Ruby's CSV (and so Mastodon) writes it: quoted when it holds a comma, a quote or a
// line break (quotes doubled); an empty string is written "" when `empty` is yes.
std::string csv_field(std::string_view value, QuoteEmpty empty = QuoteEmpty::no);

}  // namespace instctl::util
