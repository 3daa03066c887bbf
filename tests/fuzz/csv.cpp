// CSV as import files carry it: the streaming CsvReader (with a small record limit, so the
// too-long path is reached), parse_csv, and the waitlist import file read with it.
//
// Input: the file.

#include "instctl/core/csv.hpp"

#include <vector>

#include "fuzz_support.hpp"
#include "instctl/core/error.hpp"
#include "instctl/waitlist/import_file.hpp"

using namespace instctl;

namespace {

void stream(std::string_view text) {
  auto in = ByteReader::from_string(std::string(text));
  CsvReader reader(in, 64);
  CsvRecord rec;
  std::size_t last_line = 0;
  while (reader.next(rec)) {
    fuzz::require(rec.line > last_line, "records come in line order");
    last_line = rec.line;
    if (rec.problem) continue;
    fuzz::require(!rec.fields.empty() && rec.fields.size() == rec.quoted.size(),
                  "a record has fields, each marked quoted or not");
    std::size_t bytes = 0;
    for (const auto& f : rec.fields) bytes += f.size();
    fuzz::require(bytes <= 64, "a record within the limit");
  }
}

// What csv_row writes reads back as the same fields.
void round_trip(const CsvRecord& rec) {
  if (rec.fields.size() == 1 && rec.fields[0].empty()) return;  // an empty line: skipped
  // parse_csv skips a byte order mark at the start of a file (exports start with a header).
  if (rec.fields[0].starts_with("\xEF\xBB\xBF")) return;
  const auto again = parse_csv(csv_row(rec.fields));
  fuzz::require(again.size() == 1 && again[0].fields == rec.fields,
                "csv_row's output parses back to the same fields");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  stream(text);
  try {
    for (const auto& rec : parse_csv(text)) round_trip(rec);
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data, "parse_csv fails with invalid_data");
  }
  try {
    std::vector<waitlist::ImportProblem> problems;
    for (const auto& row : waitlist::parse_import_file(text, problems)) {
      fuzz::require(row.line >= 1, "a waitlist row has its line");
    }
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data, "a waitlist file fails with invalid_data");
  }
  return 0;
}
