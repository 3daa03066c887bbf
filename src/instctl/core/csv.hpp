#pragma once

// CSV as RFC 4180 describes it: fields separated by commas, records by CRLF (a bare LF is
// accepted too), fields quoted with '"' when they hold commas, quotes or line breaks, and
// quotes inside quoted fields doubled. The reader streams: memory stays bounded by the
// longest record it accepts.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/byte_reader.hpp"

namespace instctl {

struct CsvRecord {
  std::vector<std::string> fields;
  std::vector<bool> quoted;            // per field: written in quotes ("" differs from nothing)
  std::size_t line = 0;                // the line the record starts on (1-based)
  std::optional<std::string> problem;  // why the record could not be read; fields unusable
};

class CsvReader {
 public:
  // Records longer than `max_record_bytes` are skipped and reported as a problem.
  CsvReader(ByteReader& in, std::size_t max_record_bytes);
  // The next record; false at the end of the input. Empty lines are skipped.
  bool next(CsvRecord& record);

 private:
  enum class End { field, record };
  End read_quoted(CsvRecord& record, std::string& field);
  End read_unquoted(CsvRecord& record, std::string& field);
  // After a problem: skips the rest of the physical line.
  void skip_line();
  bool at_line_end(int c);
  void append(CsvRecord& record, std::string& field, char c);

  ByteReader& m_in;
  std::size_t m_max;
  std::size_t m_line = 1;
  std::size_t m_bytes = 0;            // of the current record
  std::vector<std::string> m_fields;  // read into, then swapped into the record
  std::vector<bool> m_quoted;
};

// A whole text at once, for small files, read by CsvReader (a UTF-8 byte order mark is
// skipped). Throws Error(invalid_data) naming the line of the first record that cannot be read.
std::vector<CsvRecord> parse_csv(std::string_view text);

enum class QuoteEmpty { no, yes };
// A field as Ruby's CSV (and so Mastodon) writes it: quoted when it holds a comma, a quote or a
// line break (quotes doubled); an empty string is written "" when `empty` is yes.
std::string csv_field(std::string_view value, QuoteEmpty empty = QuoteEmpty::no);
// A whole record, ending in CRLF.
std::string csv_row(const std::vector<std::string>& values);

}  // namespace instctl
