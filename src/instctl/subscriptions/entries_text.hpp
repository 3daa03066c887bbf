#pragma once

// A list's entries as stored: one text per list (subscriptions.entries) rather than a row per
// domain, so a refresh of a list of 20,000 domains writes one row, not 20,000. A line per
// domain, sorted by domain: "domain TAB severity TAB flags TAB comment", flags being four '0'
// or '1' (reject_media, reject_reports, obfuscate, has a public comment) and the comment with
// backslash, tab, line feed and carriage return written \\ \t \n \r. Migration 0019 writes the
// same text from the table it replaced.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/federation/domain_rule.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

struct EntriesText {
  std::string text;
  std::int64_t count = 0;  // domains (lines)
};

// The rules in the stored form; a domain named twice is kept once, the first.
EntriesText entries_text(const std::vector<federation::DomainRule>& rules);

// The entries of the text, appended to `out` as `subscription_id`'s, in the text's order
// (by domain). A line not in the form is an internal error (the database was changed by hand).
void read_entries_text(std::string_view text, std::int64_t subscription_id,
                       std::vector<Entry>& out);

}  // namespace instctl::subscriptions
