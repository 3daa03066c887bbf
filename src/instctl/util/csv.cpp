#include "instctl/util/csv.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl::util {

std::vector<CsvRecord> parse_csv(std::string_view text) {
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  std::size_t line = 1;
  bool in_quotes = false;
  std::size_t quote_line = 0;
  rec.line = 1;
  auto end_record = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    const bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) out.push_back(std::move(rec));
    rec = CsvRecord{};
    rec.line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      in_quotes = true;
      quote_line = line;
    } else if (c == ',') {
      rec.fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record();
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("line {}: a quoted field is never closed (a \" is missing)", quote_line));
  }
  if (!field.empty() || !rec.fields.empty()) end_record();
  return out;
}

}  // namespace instctl::util
