#pragma once

// Domain lists in the formats admins exchange: Mastodon's domain-block CSV export
// (#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate), a JSON array of
// the same fields, and plain text (one domain per line, # comments). Parsing and writing only:
// no database, no rules (DomainService applies them).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/federation/domain_rule.hpp"

namespace instctl::federation {

enum class FileFormat { mastodon_csv, json, text };
const char* to_string(FileFormat f);
FileFormat parse_file_format(std::string_view s);  // throws Error(usage)
// JSON when the text starts with '[' or '{', Mastodon CSV when its first line starts with
// "#domain", plain text otherwise.
FileFormat detect_format(std::string_view text);

struct FileRow {
  std::size_t line = 0;  // line (CSV, text) or item number (JSON), 1-based
  DomainRule rule;       // Mastodon's defaults for what the file leaves out
};
struct FileRowError {
  std::size_t line = 0;
  std::string domain;  // as written, may be empty
  std::string message;
};
struct ParsedFile {
  FileFormat format = FileFormat::text;
  std::vector<FileRow> rows;
  std::vector<FileRowError> errors;
  std::vector<std::string> notes;  // e.g. columns ignored
};

// Throws Error(invalid_data) when the file cannot be parsed at all (broken quoting, JSON that
// is not an array); bad rows are reported in `errors` and the rest parsed.
ParsedFile parse_domain_file(std::string_view text, std::optional<FileFormat> format);

// Byte for byte what Mastodon's exporter writes for the same blocks (Ruby CSV quoting, "\n").
std::string write_blocks(const std::vector<DomainRule>& blocks, FileFormat format);
std::string write_allows(const std::vector<std::string>& domains, FileFormat format);

}  // namespace instctl::federation
