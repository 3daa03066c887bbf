#include "instctl/util/csv.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl::util {

std::vector<CsvRecord> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  std::size_t line = 1;
  bool in_quotes = false, quoted = false;
  std::size_t quote_line = 0;
  rec.line = 1;
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    rec.quoted.push_back(quoted);
    field.clear();
    quoted = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = rec.fields.size() == 1 && rec.fields[0].empty() && !rec.quoted[0];
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
    if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
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
  if (!field.empty() || quoted || !rec.fields.empty()) end_record();
  return out;
}

std::string csv_field(std::string_view value, QuoteEmpty empty) {
  if (value.empty()) return empty == QuoteEmpty::yes ? "\"\"" : "";
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace instctl::util
