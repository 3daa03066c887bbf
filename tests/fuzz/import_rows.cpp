// The rows of `users import`: CSV with a header, a JSON array of objects, or NDJSON, read
// by the same streaming sources the command uses.
//
// Input: the first byte picks the format (0 csv, 1 json, 2 ndjson, else detected from the
// text, as the command does without --format); the rest is the file.

#include "instctl/users/import_rows.hpp"

#include "fuzz_support.hpp"
#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

using namespace instctl;

namespace {

void read_all(users::ImportFormat format, ByteReader& in) {
  const auto rows = users::open_rows(format, in);
  users::ImportRow row;
  std::size_t last_line = 0;
  while (rows->next(row)) {
    fuzz::require(row.line >= last_line, "rows come in line order");
    last_line = row.line;
    if (row.problem) continue;
    for (const auto& f : row.fields) {
      if (f) fuzz::require(util::is_valid_utf8(*f), "a row's fields are UTF-8");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto in = ByteReader::from_string(std::string(fuzz::as_text(data + 1, size - 1)));
  try {
    users::ImportFormat format;
    switch (data[0]) {
      case 0:
        format = users::ImportFormat::csv;
        break;
      case 1:
        format = users::ImportFormat::json;
        break;
      case 2:
        format = users::ImportFormat::ndjson;
        break;
      default:
        format = users::detect_import_format(in);
    }
    read_all(format, in);
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data,
                  "an unreadable file fails with invalid_data");
  }
  return 0;
}
