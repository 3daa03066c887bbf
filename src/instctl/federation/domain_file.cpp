#include "instctl/federation/domain_file.hpp"

#include <fmt/format.h>

#include "instctl/core/csv.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

namespace {

const std::vector<std::string> k_csv_columns = {
    "#domain", "#severity", "#reject_media", "#reject_reports", "#public_comment", "#obfuscate"};

std::optional<bool> parse_bool(std::string_view s) {
  const auto l = util::to_lower(util::trim(s));
  if (l.empty() || l == "false" || l == "0" || l == "no") return false;
  if (l == "true" || l == "1" || l == "yes") return true;
  return std::nullopt;
}

// Fills `row.rule.domain` and validates it; false (with an error recorded) when invalid.
bool set_domain(ParsedFile& out, FileRow& row, std::string_view text) {
  try {
    row.rule.domain = normalize_rule_domain(text);
    return true;
  } catch (const Error& e) {
    out.errors.push_back({row.line, std::string(text), e.what()});
    return false;
  }
}

void parse_csv_blocks(ParsedFile& out, const std::vector<CsvRecord>& records) {
  const auto& header = records.front().fields;
  std::vector<int> column(k_csv_columns.size(), -1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = util::to_lower(util::trim(header[i]));
    bool known = false;
    for (std::size_t k = 0; k < k_csv_columns.size(); ++k) {
      if (name == k_csv_columns[k]) {
        column[k] = static_cast<int>(i);
        known = true;
      }
    }
    if (name == "#private_comment") continue;  // instctl's own addition, read below
    if (!known)
      out.notes.push_back(fmt::format("ignoring the column {} (not known to instctl)", header[i]));
  }
  int private_col = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (util::to_lower(util::trim(header[i])) == "#private_comment")
      private_col = static_cast<int>(i);
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    auto get = [&](int col) -> std::optional<std::string> {
      if (col < 0 || static_cast<std::size_t>(col) >= rec.fields.size()) return std::nullopt;
      return rec.fields[static_cast<std::size_t>(col)];
    };
    FileRow row;
    row.line = rec.line;
    if (!set_domain(out, row, get(column[0]).value_or(""))) continue;
    try {
      const auto sev = get(column[1]);
      row.rule.severity =
          sev && !util::trim(*sev).empty() ? parse_severity(*sev) : Severity::suspend;
    } catch (const Error& e) {
      out.errors.push_back({row.line, row.rule.domain, e.what()});
      continue;
    }
    bool ok = true;
    for (auto [k, field] :
         {std::pair{2, &row.rule.reject_media}, std::pair{3, &row.rule.reject_reports},
          std::pair{5, &row.rule.obfuscate}}) {
      const auto b = parse_bool(get(column[static_cast<std::size_t>(k)]).value_or(""));
      if (!b) {
        out.errors.push_back(
            {row.line, row.rule.domain,
             fmt::format("{} must be true or false", k_csv_columns[static_cast<std::size_t>(k)])});
        ok = false;
        break;
      }
      *field = *b;
    }
    if (!ok) continue;
    const int pc = column[4];
    if (pc >= 0 && static_cast<std::size_t>(pc) < rec.fields.size()) {
      const auto idx = static_cast<std::size_t>(pc);
      if (!rec.fields[idx].empty() || rec.quoted[idx]) row.rule.public_comment = rec.fields[idx];
    }
    if (auto v = get(private_col); v && !v->empty()) row.rule.private_comment = *v;
    out.rows.push_back(std::move(row));
  }
}

void parse_text(ParsedFile& out, std::string_view text) {
  std::size_t n = 0;
  for (const auto& raw : util::split(text, '\n')) {
    ++n;
    std::string_view line = raw;
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = util::trim(line);
    if (line.empty()) continue;
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    FileRow row;
    row.line = n;
    if (set_domain(out, row, line)) out.rows.push_back(std::move(row));
  }
}

std::optional<std::string> json_text(const Json& v, const char* name, std::string* error) {
  if (!v.contains(name) || v[name].is_null()) return std::nullopt;
  if (!v[name].is_string()) {
    *error = fmt::format("{} must be a string", name);
    return std::nullopt;
  }
  return v[name].get<std::string>();
}

void parse_json_item(ParsedFile& out, const Json& item, std::size_t n) {
  FileRow row;
  row.line = n;
  if (item.is_string()) {
    if (set_domain(out, row, item.get<std::string>())) out.rows.push_back(std::move(row));
    return;
  }
  if (!item.is_object() || !item.contains("domain") || !item["domain"].is_string()) {
    out.errors.push_back({n, "", "each item must be an object with a \"domain\" string"});
    return;
  }
  if (!set_domain(out, row, item["domain"].get<std::string>())) return;
  std::string error;
  try {
    if (item.contains("severity") && !item["severity"].is_null()) {
      if (!item["severity"].is_string()) throw Error(ErrorKind::usage, "severity must be a string");
      row.rule.severity = parse_severity(item["severity"].get<std::string>());
    }
  } catch (const Error& e) {
    error = e.what();
  }
  for (auto [name, field] : {std::pair{"reject_media", &row.rule.reject_media},
                             std::pair{"reject_reports", &row.rule.reject_reports},
                             std::pair{"obfuscate", &row.rule.obfuscate}}) {
    if (!item.contains(name) || item[name].is_null()) continue;
    if (!item[name].is_boolean())
      error = fmt::format("{} must be true or false", name);
    else
      *field = item[name].get<bool>();
  }
  row.rule.public_comment = json_text(item, "public_comment", &error);
  row.rule.private_comment = json_text(item, "private_comment", &error);
  if (!error.empty()) {
    out.errors.push_back({n, row.rule.domain, error});
    return;
  }
  out.rows.push_back(std::move(row));
}

void parse_json(ParsedFile& out, std::string_view text) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw Error(ErrorKind::invalid_data, fmt::format("the file is not valid JSON: {}", e.what()));
  }
  if (!doc.is_array()) {
    throw Error(ErrorKind::invalid_data,
                "the JSON file must be an array of objects with domain, severity, reject_media, "
                "reject_reports, public_comment, obfuscate");
  }
  for (std::size_t i = 0; i < doc.size(); ++i) parse_json_item(out, doc[i], i + 1);
}

}  // namespace

const char* to_string(FileFormat f) {
  switch (f) {
    case FileFormat::mastodon_csv:
      return "mastodon-csv";
    case FileFormat::json:
      return "json";
    case FileFormat::text:
      return "text";
  }
  return "text";
}

FileFormat parse_file_format(std::string_view s) {
  if (s == "mastodon-csv" || s == "csv") return FileFormat::mastodon_csv;
  if (s == "json") return FileFormat::json;
  if (s == "text" || s == "txt") return FileFormat::text;
  throw Error(ErrorKind::usage,
              fmt::format("unknown file format '{}': use mastodon-csv, json or text", s));
}

FileFormat detect_format(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto t = util::trim(text);
  if (t.starts_with("[") || t.starts_with("{")) return FileFormat::json;
  if (util::starts_with_ci(t, "#domain")) return FileFormat::mastodon_csv;
  return FileFormat::text;
}

ParsedFile parse_domain_file(std::string_view text, std::optional<FileFormat> format) {
  ParsedFile out;
  out.format = format ? *format : detect_format(text);
  if (!util::is_valid_utf8(text)) {
    throw Error(ErrorKind::invalid_data, "the file is not UTF-8 text");
  }
  switch (out.format) {
    case FileFormat::json:
      parse_json(out, text);
      break;
    case FileFormat::text:
      parse_text(out, text);
      break;
    case FileFormat::mastodon_csv: {
      std::vector<CsvRecord> records;
      try {
        records = parse_csv(text);
      } catch (const Error& e) {
        throw Error(ErrorKind::invalid_data,
                    std::string("the CSV file cannot be parsed: ") + e.what());
      }
      if (records.empty()) break;
      const auto& first = records.front().fields;
      if (first.empty() || util::to_lower(util::trim(first[0])) != "#domain") {
        // No header: a plain list of domains, as Mastodon reads it.
        parse_text(out, text);
        out.format = FileFormat::text;
        break;
      }
      parse_csv_blocks(out, records);
      break;
    }
  }
  return out;
}

std::string write_blocks(const std::vector<DomainRule>& blocks, FileFormat format) {
  std::string out;
  switch (format) {
    case FileFormat::mastodon_csv:
      out = util::join(k_csv_columns, ",") + "\n";
      for (const auto& b : blocks) {
        out += fmt::format("{},{},{},{},{},{}\n", csv_field(b.domain), to_string(b.severity),
                           b.reject_media, b.reject_reports,
                           b.public_comment ? csv_field(*b.public_comment, QuoteEmpty::yes) : "",
                           b.obfuscate);
      }
      return out;
    case FileFormat::json: {
      Json arr = Json::array();
      for (const auto& b : blocks) arr.push_back(to_json(b));
      return arr.dump(2) + "\n";
    }
    case FileFormat::text:
      for (const auto& b : blocks) out += b.domain + "\n";
      return out;
  }
  return out;
}

std::string write_allows(const std::vector<std::string>& domains, FileFormat format) {
  std::string out;
  switch (format) {
    case FileFormat::mastodon_csv:
      out = "#domain\n";
      for (const auto& d : domains) out += csv_field(d) + "\n";
      return out;
    case FileFormat::json: {
      Json arr = Json::array();
      for (const auto& d : domains) arr.push_back(Json{{"domain", d}});
      return arr.dump(2) + "\n";
    }
    case FileFormat::text:
      for (const auto& d : domains) out += d + "\n";
      return out;
  }
  return out;
}

}  // namespace instctl::federation
