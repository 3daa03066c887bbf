#include "instctl/waitlist/import_file.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/csv.hpp"
#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::waitlist {

std::vector<ImportRow> parse_import_file(std::string_view text,
                                         std::vector<ImportProblem>& problems) {
  static const std::vector<std::string> known = {"email", "username", "reason", "source",
                                                 "priority"};
  const auto records = parse_csv(text);
  std::vector<ImportRow> out;
  if (records.empty()) return out;
  std::vector<std::string> header;
  for (const auto& f : records.front().fields) header.push_back(util::to_lower(util::trim(f)));
  const bool has_header = std::find(header.begin(), header.end(), "email") != header.end();
  if (!has_header) header = {"email"};
  for (const auto& h : header) {
    if (std::find(known.begin(), known.end(), h) == known.end()) {
      throw Error(ErrorKind::invalid_data, fmt::format("unknown column '{}'; known columns: {}", h,
                                                       util::join(known, ", ")));
    }
  }
  for (std::size_t r = has_header ? 1 : 0; r < records.size(); ++r) {
    const auto& rec = records[r];
    ImportRow row;
    row.line = rec.line;
    std::optional<std::string> problem;
    if (rec.fields.size() > header.size()) problem = "more fields than columns";
    for (std::size_t i = 0; i < header.size() && i < rec.fields.size(); ++i) {
      const auto& v = rec.fields[i];
      if (header[i] == "email")
        row.request.email = v;
      else if (header[i] == "username") {
        if (!v.empty()) row.request.username = v;
      } else if (header[i] == "reason")
        row.request.reason = v;
      else if (header[i] == "source")
        row.request.source = v;
      else if (!v.empty()) {
        try {
          std::size_t used = 0;
          row.request.priority = std::stoll(v, &used);
          if (used != v.size()) problem = "the priority is not a whole number";
        } catch (const std::exception&) {
          problem = "the priority is not a whole number";
        }
      }
    }
    if (problem)
      problems.push_back({row.line, row.request.email, *problem});
    else
      out.push_back(std::move(row));
  }
  return out;
}

}  // namespace instctl::waitlist
