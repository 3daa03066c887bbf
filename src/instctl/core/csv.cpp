#include "instctl/core/csv.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl {

CsvReader::CsvReader(ByteReader& in, std::size_t max_record_bytes)
    : m_in(in), m_max(max_record_bytes) {}

// Consumes a line end starting with `c` (LF, or CR LF); a lone CR is data.
bool CsvReader::at_line_end(int c) {
  if (c == '\n') return true;
  if (c == '\r' && m_in.peek() == '\n') {
    m_in.get();
    return true;
  }
  return false;
}

void CsvReader::append(CsvRecord& record, std::string& field, char c) {
  if (++m_bytes > m_max) {
    if (!record.problem) {
      record.problem = fmt::format("the row is longer than {} bytes", m_max);
      field.clear();
    }
    return;
  }
  field += c;
}

void CsvReader::skip_line() {
  for (int c = m_in.get(); c != ByteReader::k_eof; c = m_in.get()) {
    if (at_line_end(c)) {
      ++m_line;
      return;
    }
  }
}

CsvReader::End CsvReader::read_quoted(CsvRecord& record, std::string& field) {
  const std::size_t opened = m_line;
  for (;;) {
    int c = m_in.get();
    if (c == ByteReader::k_eof) {
      if (!record.problem || record.problem->rfind("the row is longer", 0) == 0) {
        record.problem = fmt::format(
            "a quoted field opened on line {} is never closed: close it with '\"' (quotes "
            "inside a field are written twice: \"\")",
            opened);
      }
      return End::record;
    }
    if (c == '"') {
      if (m_in.peek() != '"') break;
      m_in.get();
    }
    if (c == '\n') ++m_line;
    append(record, field, static_cast<char>(c));
  }
  const int c = m_in.get();
  if (c == ',') return End::field;
  if (c == ByteReader::k_eof) return End::record;
  if (at_line_end(c)) {
    ++m_line;
    return End::record;
  }
  if (!record.problem) {
    record.problem =
        "a field has text after its closing quote: quote the whole field, and "
        "write quotes inside it twice (\"\")";
  }
  skip_line();
  return End::record;
}

CsvReader::End CsvReader::read_unquoted(CsvRecord& record, std::string& field) {
  for (;;) {
    const int c = m_in.get();
    if (c == ',') return End::field;
    if (c == ByteReader::k_eof) return End::record;
    if (at_line_end(c)) {
      ++m_line;
      return End::record;
    }
    if (c == '"') {
      if (!record.problem) {
        record.problem =
            "a quote inside an unquoted field: quote the whole field, and write "
            "quotes inside it twice (\"\")";
      }
      skip_line();
      return End::record;
    }
    append(record, field, static_cast<char>(c));
  }
}

bool CsvReader::next(CsvRecord& record) {
  record.problem.reset();
  for (;;) {  // empty lines
    const int c = m_in.peek();
    if (c == ByteReader::k_eof) return false;
    if (c == '\n' || (c == '\r' && m_in.peek_at(1) == '\n')) {
      at_line_end(m_in.get());
      ++m_line;
      continue;
    }
    break;
  }
  record.line = m_line;
  m_bytes = 0;
  // Fields are read into the reader's strings and swapped into the record, so their buffers
  // serve one record after another.
  std::size_t n = 0;
  m_quoted.clear();
  for (;;) {
    if (n == m_fields.size()) m_fields.emplace_back();
    std::string& field = m_fields[n++];
    field.clear();
    End end;
    m_quoted.push_back(m_in.peek() == '"');
    if (m_quoted.back()) {
      m_in.get();
      end = read_quoted(record, field);
    } else {
      end = read_unquoted(record, field);
    }
    if (end == End::record) break;
  }
  if (record.problem) {
    record.fields.clear();
    record.quoted.clear();
  } else {
    record.fields.resize(n);
    for (std::size_t i = 0; i < n; ++i) record.fields[i].swap(m_fields[i]);
    record.quoted.swap(m_quoted);
  }
  return true;
}

std::vector<CsvRecord> parse_csv(std::string_view text) {
  auto in = ByteReader::from_string(std::string(text));
  in.skip_bom();
  CsvReader reader(in, text.size() + 1);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (reader.next(rec)) {
    if (rec.problem) {
      throw Error(ErrorKind::invalid_data, fmt::format("line {}: {}", rec.line, *rec.problem));
    }
    out.push_back(rec);
  }
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

std::string csv_row(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(values[i]);
  }
  return out + "\r\n";
}

}  // namespace instctl
