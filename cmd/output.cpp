#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "cli.hpp"
#include "instctl/core/csv.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {

namespace {

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_colour == nullptr || *no_colour == '\0');
}

// Scalars as people read them; nested values as compact JSON (CSV keeps them exact).
std::string text_of(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

// A value on a screen: nested values as words, never JSON. A list of scalars is "a, b"; an
// object "key value, key value" (a table cell has one line; `show` gives nested objects their
// own lines, print_fields below).
std::string screen_text(const Json& v) {
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) parts.push_back(screen_text(e));
    return fmt::format("{}", fmt::join(parts, ", "));
  }
  if (v.is_object()) {
    std::vector<std::string> parts;
    for (auto it = v.begin(); it != v.end(); ++it)
      parts.push_back(it.key() + " " + screen_text(*it));
    return fmt::format("{}", fmt::join(parts, ", "));
  }
  return text_of(v);
}

void write(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = util::utf8_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// Table cells and `show` values are screen text: one line, control characters escaped
// (util/escape.hpp), as they may come from outside (a waitlist reason, a remote report).
std::string cell(const Json& v) { return util::escape_control(screen_text(v)); }

bool shown(const View& view, const std::string& key) {
  return std::find(view.json_only.begin(), view.json_only.end(), key) == view.json_only.end();
}

// "key  value" lines; a nested object gets its key on a line and its own fields below,
// indented (the same at every depth). The record's own lists are left to the caller (titled
// sections); a nested object's lists are "a, b" on its line.
void print_fields(const Json& record, const View& view, std::size_t indent) {
  const bool top = indent == 0;
  auto skip = [&](const std::string& key, const Json& v) {
    return (top && v.is_array()) || !shown(view, key);
  };
  std::size_t width = 0;
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!skip(it.key(), *it)) width = std::max(width, util::utf8_width(it.key()));
  }
  const std::string margin(indent, ' ');
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (skip(it.key(), *it)) continue;
    if (it->is_object() && !it->empty()) {
      write(margin + util::escape_control(it.key()) + "\n");
      print_fields(*it, View{}, indent + 2);
      continue;
    }
    write(margin + pad(util::escape_control(it.key()), width + 2) + cell(*it) + "\n");
  }
}

// A record's field, or null when it has none (without copying it, as Json::value would).
const Json& field_of(const Json& row, const std::string& key) {
  static const Json none;
  const auto it = row.find(key);
  return it == row.end() ? none : *it;
}

// Each cell is made once, and the table written with one call: a refresh's report can have
// tens of thousands of rows.
void print_table(const Json& rows, const std::vector<std::string>& columns,
                 const std::vector<std::string>& headings = {}) {
  const auto& names = headings.size() == columns.size() ? headings : columns;
  std::vector<std::size_t> widths;
  for (const auto& c : names) widths.push_back(util::utf8_width(c));
  std::vector<std::string> cells;
  cells.reserve(rows.size() * columns.size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      cells.push_back(cell(field_of(row, columns[i])));
      widths[i] = std::max(widths[i], util::utf8_width(cells.back()));
    }
  }
  const bool colour = use_colour();
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string header = util::to_lower(names[i]);
    for (char& c : header) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    line += i + 1 < columns.size() ? pad(header, widths[i] + 2) : header;
  }
  std::string text = colour ? fmt::format("\033[1m{}\033[0m\n", line) : line + "\n";
  for (std::size_t r = 0; r < cells.size(); r += columns.size()) {
    const std::size_t start = text.size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto& v = cells[r + i];
      text += v;
      if (i + 1 < columns.size()) {
        const std::size_t w = util::utf8_width(v);
        if (w < widths[i] + 2) text.append(widths[i] + 2 - w, ' ');
      }
    }
    while (text.size() > start && text.back() == ' ') text.pop_back();
    text += '\n';
  }
  write(text);
}

std::vector<std::string> keys_of(const Json& obj) {
  std::vector<std::string> out;
  for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
  return out;
}

void print_csv(const Json& rows, std::vector<std::string> columns) {
  if (!rows.empty()) columns = keys_of(rows.front());
  write(csv_row(columns));
  std::vector<std::string> fields;
  for (const auto& row : rows) {
    fields.clear();
    for (const auto& c : columns) fields.push_back(text_of(row.value(c, Json())));
    write(csv_row(fields));
  }
}

void print_quiet(const Json& rows, const std::string& field) {
  std::string text;
  for (const auto& row : rows) {
    const Json& v = field_of(row, field);
    if (v.is_null()) continue;
    text += cell(v);
    text += '\n';
  }
  write(text);
}

}  // namespace

std::string field_list(const Json& records, const std::string& field) {
  std::vector<std::string> words;
  for (const auto& r : records) words.push_back(text_of(r.value(field, Json())));
  return util::and_list(words);
}

Format Output::format() const {
  if (m_opts.json) return Format::json;
  if (m_opts.format == "json") return Format::json;
  if (m_opts.format == "ndjson") return Format::ndjson;
  if (m_opts.format == "csv") return Format::csv;
  if (m_opts.format == "prometheus") {
    throw Error(ErrorKind::usage,
                "--format prometheus is only for 'instctl stats'; give table, json, ndjson or csv");
  }
  return Format::table;
}

void Output::item(const Json& record, const View& view) const {
  if (m_opts.quiet) return print_quiet(Json::array({record}), view.quiet);
  switch (format()) {
    case Format::json:
      write(record.dump(2) + "\n");
      return;
    case Format::ndjson:
      write(record.dump() + "\n");
      return;
    case Format::csv:
      print_csv(Json::array({record}), {});
      return;
    case Format::table:
      break;
  }
  // Scalars (and nested objects, indented) as "key  value" lines, then each list of records
  // as a titled table.
  print_fields(record, view, 0);
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!it->is_array() || !shown(view, it.key())) continue;
    write(fmt::format("\n{} ({})\n", it.key(), it->size()));
    if (it->empty()) continue;
    if (it->front().is_object())
      print_table(*it, keys_of(it->front()));
    else
      for (const auto& v : *it) write("  " + cell(v) + "\n");
  }
}

void Output::list(const Json& records, const View& view) const {
  if (m_opts.quiet) return print_quiet(records, view.quiet);
  switch (format()) {
    case Format::json:
      write(records.dump(2) + "\n");
      return;
    case Format::ndjson:
      for (const auto& r : records) write(r.dump() + "\n");
      return;
    case Format::csv:
      print_csv(records, view.columns);
      return;
    case Format::table:
      break;
  }
  if (records.empty()) {
    note(fmt::format("No {}.", view.noun.empty() ? "results" : view.noun));
    return;
  }
  print_table(records, view.columns, view.headings);
}

void Output::note(std::string_view message) const {
  if (m_opts.quiet || format() != Format::table) return;
  std::fprintf(stderr, "%s\n", util::escape_control_lines(message).c_str());
}

void Output::warn(std::string_view message) {
  std::fprintf(stderr, "instctl: warning: %s\n", util::escape_control_lines(message).c_str());
}

}  // namespace instctl::cli
