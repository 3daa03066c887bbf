// Domain lists admins exchange (`federation domain-blocks import`): Mastodon's CSV export, a
// JSON array, plain text. What is read is written back as Mastodon CSV and must read the same.
//
// Input: the first byte picks the format (0 mastodon-csv, 1 json, 2 text, else detected);
// the rest is the file.

#include <optional>

#include "fuzz_support.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/domain_file.hpp"

using namespace instctl;
using federation::FileFormat;

namespace {

std::optional<FileFormat> pick(std::uint8_t b) {
  switch (b) {
    case 0:
      return FileFormat::mastodon_csv;
    case 1:
      return FileFormat::json;
    case 2:
      return FileFormat::text;
    default:
      return std::nullopt;
  }
}

void check_round_trip(const federation::ParsedFile& file) {
  std::vector<federation::DomainRule> rules;
  for (const auto& row : file.rows) {
    fuzz::require(!row.rule.domain.empty(), "a rule has a domain");
    fuzz::require(federation::normalize_rule_domain(row.rule.domain) == row.rule.domain,
                  "a rule's domain is normalized");
    rules.push_back(row.rule);
  }
  const auto again = federation::parse_domain_file(
      federation::write_blocks(rules, FileFormat::mastodon_csv), FileFormat::mastodon_csv);
  fuzz::require(again.errors.empty() && again.rows.size() == rules.size(),
                "written blocks read back without errors");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& a = rules[i];
    const auto& b = again.rows[i].rule;
    fuzz::require(a.domain == b.domain && a.severity == b.severity &&
                      a.reject_media == b.reject_media && a.reject_reports == b.reject_reports &&
                      a.obfuscate == b.obfuscate && a.public_comment == b.public_comment,
                  "a written block reads back the same");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  federation::ParsedFile file;
  try {
    file = federation::parse_domain_file(text, pick(data[0]));
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data,
                  "an unreadable file fails with invalid_data");
    return 0;
  }
  check_round_trip(file);
  return 0;
}
