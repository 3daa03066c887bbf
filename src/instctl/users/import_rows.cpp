#include "instctl/users/import_rows.hpp"

#include <fmt/format.h>

#include "instctl/core/csv.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/core/json_stream.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {

constexpr const char* k_utf8_fix = "save the file as UTF-8";

std::string known_fields() {
  std::vector<std::string> names(k_import_fields.begin(), k_import_fields.end());
  return util::join(names, ", ");
}

std::optional<std::size_t> field_index(std::string_view name) {
  for (std::size_t i = 0; i < k_import_fields.size(); ++i) {
    if (name == k_import_fields[i]) return i;
  }
  return std::nullopt;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at ...: " prefix.
std::string json_error_text(const Json::exception& e) {
  const std::string what = e.what();
  if (const auto colon = what.find(": "); colon != std::string::npos) return what.substr(colon + 2);
  if (const auto bracket = what.find("] "); bracket != std::string::npos)
    return what.substr(bracket + 2);
  return what;
}

[[noreturn]] void unreadable(const ByteReader& in, const std::string& why) {
  throw Error(ErrorKind::invalid_data, fmt::format("{}: {}", in.name(), why));
}

class CsvRows final : public RowSource {
 public:
  explicit CsvRows(ByteReader& in) : m_reader(in, k_max_row_bytes) {
    CsvRecord header;
    if (!m_reader.next(header)) {
      unreadable(in,
                 "the file is empty: its first line must name the columns, e.g. "
                 "username,email,display_name");
    }
    if (header.problem) unreadable(in, fmt::format("line {}: {}", header.line, *header.problem));
    read_header(in, header);
  }

  bool next(ImportRow& row) override {
    if (!m_reader.next(m_record)) return false;
    row.line = m_record.line;
    row.problem = m_record.problem;
    for (auto& f : row.fields) f.reset();
    if (row.problem) return true;
    if (m_record.fields.size() != m_columns.size()) {
      row.problem = fmt::format(
          "the row has {}, the header names {} ({}){}",
          util::counted(static_cast<long long>(m_record.fields.size()), "field"),
          util::counted(static_cast<long long>(m_columns.size()), "column"), m_header_text,
          m_record.fields.size() < m_columns.size()
              ? ": a field is missing"
              : ": quote fields that contain commas (\"Smith, Jo\")");
      return true;
    }
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
      auto& value = m_record.fields[i];
      if (!util::is_valid_utf8(value)) {
        row.problem = fmt::format("the {} field is not valid UTF-8: {}",
                                  k_import_fields[m_columns[i]], k_utf8_fix);
        return true;
      }
      row.fields[m_columns[i]] = std::move(value);
    }
    return true;
  }

 private:
  void read_header(const ByteReader& in, const CsvRecord& header) {
    std::array<bool, k_import_fields.size()> seen{};
    for (const auto& raw : header.fields) {
      if (!util::is_valid_utf8(raw)) {
        unreadable(in, fmt::format("the header (line {}) is not valid UTF-8: {}", header.line,
                                   k_utf8_fix));
      }
      const std::string name = util::to_lower(util::trim(raw));
      const auto index = field_index(name);
      if (!index) {
        unreadable(in, fmt::format("unknown column '{}' in the header (line {}): the known "
                                   "columns are {}",
                                   raw, header.line, known_fields()));
      }
      if (seen[*index]) {
        unreadable(in, fmt::format("the column '{}' appears twice in the header (line {})", name,
                                   header.line));
      }
      seen[*index] = true;
      m_columns.push_back(*index);
    }
    for (auto required : {ImportField::username, ImportField::email}) {
      if (!seen[static_cast<std::size_t>(required)]) {
        unreadable(in,
                   fmt::format("the header (line {}) has no '{}' column: a file names at "
                               "least username and email",
                               header.line, k_import_fields[static_cast<std::size_t>(required)]));
      }
    }
    std::vector<std::string> names;
    for (auto c : m_columns) names.emplace_back(k_import_fields[c]);
    m_header_text = util::join(names, ", ");
  }

  CsvReader m_reader;
  CsvRecord m_record;
  std::vector<std::size_t> m_columns;  // the field of each column
  std::string m_header_text;
};

// A JSON object's fields into the row; the problem otherwise.
void parse_object(const TextItem& item, ImportRow& row) {
  row.line = item.line;
  row.problem = item.problem;
  for (auto& f : row.fields) f.reset();
  if (row.problem) return;
  if (!util::is_valid_utf8(item.text)) {
    row.problem = fmt::format("the row is not valid UTF-8: {}", k_utf8_fix);
    return;
  }
  Json j;
  try {
    j = Json::parse(item.text);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
    row.problem = fmt::format("not valid JSON ({})", json_error_text(e));
    return;
  }
  if (!j.is_object()) {
    row.problem = fmt::format("expected an object with the fields {}, found {}", known_fields(),
                              j.type_name());
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto index = field_index(it.key());
    if (!index) {
      row.problem =
          fmt::format("unknown field '{}': the known fields are {}", it.key(), known_fields());
      return;
    }
    if (it->is_null()) continue;
    if (!it->is_string()) {
      row.problem =
          fmt::format("the field '{}' must be a string, not {}", it.key(), it->type_name());
      return;
    }
    row.fields[*index] = it->get<std::string>();
  }
}

class JsonRows final : public RowSource {
 public:
  explicit JsonRows(ByteReader& in) : m_reader(in, k_max_row_bytes) {
    if (!m_reader.open()) {
      unreadable(in,
                 "not a JSON array: a JSON import is an array of objects, "
                 "[{\"username\": ..., \"email\": ...}, ...]");
    }
  }
  bool next(ImportRow& row) override {
    if (!m_reader.next(m_item)) return false;
    parse_object(m_item, row);
    return true;
  }

 private:
  JsonArrayReader m_reader;
  TextItem m_item;
};

class NdjsonRows final : public RowSource {
 public:
  explicit NdjsonRows(ByteReader& in) : m_reader(in, k_max_row_bytes) {}
  bool next(ImportRow& row) override {
    if (!m_reader.next(m_item)) return false;
    parse_object(m_item, row);
    return true;
  }

 private:
  LineItemReader m_reader;
  TextItem m_item;
};

}  // namespace

const char* to_string(ImportFormat f) {
  switch (f) {
    case ImportFormat::csv:
      return "csv";
    case ImportFormat::json:
      return "json";
    case ImportFormat::ndjson:
      return "ndjson";
  }
  return "csv";
}

ImportFormat parse_import_format(std::string_view s) {
  for (auto f : {ImportFormat::csv, ImportFormat::json, ImportFormat::ndjson}) {
    if (s == to_string(f)) return f;
  }
  throw Error(ErrorKind::usage, fmt::format("unknown format '{}': use csv, json or ndjson", s));
}

ImportFormat detect_import_format(ByteReader& in) {
  in.skip_bom();
  switch (in.first_significant_byte()) {
    case ByteReader::k_eof:
      unreadable(in,
                 "the file is empty: give a CSV file with a header line, a JSON array or "
                 "NDJSON");
    case '[':
      return ImportFormat::json;
    case '{':
      return ImportFormat::ndjson;
    default:
      return ImportFormat::csv;
  }
}

std::unique_ptr<RowSource> open_rows(ImportFormat format, ByteReader& in) {
  in.skip_bom();
  switch (format) {
    case ImportFormat::csv:
      return std::make_unique<CsvRows>(in);
    case ImportFormat::json:
      return std::make_unique<JsonRows>(in);
    case ImportFormat::ndjson:
      return std::make_unique<NdjsonRows>(in);
  }
  return std::make_unique<CsvRows>(in);
}

}  // namespace instctl::users
