#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/util/csv.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {

namespace {

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_colour == nullptr || *no_colour == '\0');
}

// Scalars as people read them; nested values as compact JSON.
std::string text_of(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

void write(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = util::utf8_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// Table cells and `show` values are screen text: one line, control characters escaped
// (util/escape.hpp), as they may come from outside (a waitlist reason, a remote report).
std::string cell(const Json& v) { return util::escape_control(text_of(v)); }

void print_table(const Json& rows, const std::vector<std::string>& columns) {
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(util::utf8_width(c));
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      widths[i] = std::max(widths[i], util::utf8_width(cell(row.value(columns[i], Json()))));
    }
  }
  const bool colour = use_colour();
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string header = util::to_lower(columns[i]);
    for (char& c : header) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    line += i + 1 < columns.size() ? pad(header, widths[i] + 2) : header;
  }
  write(colour ? fmt::format("\033[1m{}\033[0m\n", line) : line + "\n");
  for (const auto& row : rows) {
    line.clear();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto v = cell(row.value(columns[i], Json()));
      line += i + 1 < columns.size() ? pad(v, widths[i] + 2) : v;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    write(line + "\n");
  }
}

std::vector<std::string> keys_of(const Json& obj) {
  std::vector<std::string> out;
  for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
  return out;
}

void print_csv(const Json& rows, std::vector<std::string> columns) {
  if (!rows.empty()) columns = keys_of(rows.front());
  write(util::csv_row(columns));
  std::vector<std::string> fields;
  for (const auto& row : rows) {
    fields.clear();
    for (const auto& c : columns) fields.push_back(text_of(row.value(c, Json())));
    write(util::csv_row(fields));
  }
}

void print_quiet(const Json& rows, const std::string& field) {
  for (const auto& row : rows) {
    if (row.contains(field) && !row[field].is_null()) write(cell(row[field]) + "\n");
  }
}

}  // namespace

Format Output::format() const {
  if (m_opts.json) return Format::json;
  if (m_opts.format == "json") return Format::json;
  if (m_opts.format == "ndjson") return Format::ndjson;
  if (m_opts.format == "csv") return Format::csv;
  return Format::table;
}

void Output::item(const Json& record, const View& view) const {
  if (m_opts.quiet) return print_quiet(Json::array({record}), view.quiet);
  switch (format()) {
    case Format::json: write(record.dump(2) + "\n"); return;
    case Format::ndjson: write(record.dump() + "\n"); return;
    case Format::csv: print_csv(Json::array({record}), {}); return;
    case Format::table: break;
  }
  // Scalars as "key  value" lines, then each list of records as a titled table.
  std::size_t width = 0;
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!it->is_array()) width = std::max(width, it.key().size());
  }
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (it->is_array()) continue;
    write(pad(it.key(), width + 2) + cell(*it) + "\n");
  }
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!it->is_array()) continue;
    write(fmt::format("\n{} ({})\n", it.key(), it->size()));
    if (it->empty()) continue;
    if (it->front().is_object()) print_table(*it, keys_of(it->front()));
    else for (const auto& v : *it) write("  " + cell(v) + "\n");
  }
}

void Output::list(const Json& records, const View& view) const {
  if (m_opts.quiet) return print_quiet(records, view.quiet);
  switch (format()) {
    case Format::json: write(records.dump(2) + "\n"); return;
    case Format::ndjson:
      for (const auto& r : records) write(r.dump() + "\n");
      return;
    case Format::csv: print_csv(records, view.columns); return;
    case Format::table: break;
  }
  if (records.empty()) {
    note(fmt::format("No {}.", view.noun.empty() ? "results" : view.noun));
    return;
  }
  print_table(records, view.columns);
}

void Output::note(std::string_view message) const {
  if (m_opts.quiet || format() != Format::table) return;
  std::fprintf(stderr, "%s\n", util::escape_control_lines(message).c_str());
}

void Output::warn(std::string_view message) {
  std::fprintf(stderr, "instctl: warning: %s\n", util::escape_control_lines(message).c_str());
}

}  // namespace instctl::cli
