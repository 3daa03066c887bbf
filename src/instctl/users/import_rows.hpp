#pragma once

// Reading the rows of a user import: CSV with a header, a JSON array of objects, or NDJSON,
// streamed. Each row comes with its line number and, when it cannot be read, the reason.
// Whether its values are acceptable is decided later, by the validation rules.

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/byte_reader.hpp"

namespace instctl::users {

enum class ImportFormat { csv, json, ndjson };
const char* to_string(ImportFormat f);
// Throws Error(usage) naming the accepted values.
ImportFormat parse_import_format(std::string_view s);
// From the first byte that is not whitespace (after a byte order mark): '[' is JSON, '{'
// NDJSON, anything else CSV. Throws Error(invalid_data) for an empty input.
ImportFormat detect_import_format(ByteReader& in);

// The fields a row may carry, as CSV columns and JSON fields (export writes the same).
enum class ImportField { username, email, display_name, role, note };
inline constexpr std::array<std::string_view, 5> k_import_fields = {"username", "email",
                                                                    "display_name", "role", "note"};

// No sane row is longer: a user's fields together stay under a few kilobytes.
inline constexpr std::size_t k_max_row_bytes = 64 * 1024;

struct ImportRow {
  std::size_t line = 0;
  // Absent when the file does not carry the field (a JSON object without it, null).
  std::array<std::optional<std::string>, k_import_fields.size()> fields;
  std::optional<std::string> problem;  // the row could not be read

  const std::optional<std::string>& get(ImportField f) const {
    return fields[static_cast<std::size_t>(f)];
  }
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  // The next row; false at the end of the input.
  virtual bool next(ImportRow& row) = 0;
};

// Reads the start of the input (the CSV header, the JSON array's '['). Throws
// Error(invalid_data) when the input cannot be read as `format` at all.
std::unique_ptr<RowSource> open_rows(ImportFormat format, ByteReader& in);

}  // namespace instctl::users
