#include "instctl/subscriptions/entries_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/error.hpp"

namespace instctl::subscriptions {

using federation::DomainRule;

namespace {

void append_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

std::string unescaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

[[noreturn]] void bad_line(std::int64_t subscription_id, std::string_view line) {
  throw Error(ErrorKind::internal,
              fmt::format("subscription {}'s stored entries have a line not in their form ({}): "
                          "the database was changed outside instctl; restore it from a backup "
                          "('instctl db restore FILE'), or remove the subscription and add it "
                          "again ('instctl federation subscriptions remove NAME', then 'add URL')",
                          subscription_id, line.substr(0, 80)));
}

}  // namespace

EntriesText entries_text(const std::vector<DomainRule>& rules) {
  std::vector<const DomainRule*> sorted;
  sorted.reserve(rules.size());
  for (const auto& r : rules) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const DomainRule* a, const DomainRule* b) { return a->domain < b->domain; });
  sorted.erase(
      std::unique(sorted.begin(), sorted.end(),
                  [](const DomainRule* a, const DomainRule* b) { return a->domain == b->domain; }),
      sorted.end());
  EntriesText out;
  out.count = static_cast<std::int64_t>(sorted.size());
  out.text.reserve(sorted.size() * 48);
  for (const DomainRule* r : sorted) {
    if (!out.text.empty()) out.text += '\n';
    out.text += r->domain;
    out.text += '\t';
    out.text += federation::to_string(r->severity);
    out.text += '\t';
    out.text += r->reject_media ? '1' : '0';
    out.text += r->reject_reports ? '1' : '0';
    out.text += r->obfuscate ? '1' : '0';
    out.text += r->public_comment ? '1' : '0';
    out.text += '\t';
    if (r->public_comment) append_escaped(out.text, *r->public_comment);
  }
  return out;
}

void read_entries_text(std::string_view text, std::int64_t subscription_id,
                       std::vector<Entry>& out) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const auto t1 = line.find('\t');
    const auto t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    const auto t3 = t2 == std::string_view::npos ? t2 : line.find('\t', t2 + 1);
    if (t3 == std::string_view::npos || t3 - t2 != 5 || t1 == 0) bad_line(subscription_id, line);
    const std::string_view flags = line.substr(t2 + 1, 4);
    if (flags.find_first_not_of("01") != std::string_view::npos) {
      bad_line(subscription_id, line);
    }
    Entry& e = out.emplace_back();
    e.subscription_id = subscription_id;
    e.rule.domain = line.substr(0, t1);
    e.rule.severity = federation::parse_severity(line.substr(t1 + 1, t2 - t1 - 1));
    e.rule.reject_media = flags[0] == '1';
    e.rule.reject_reports = flags[1] == '1';
    e.rule.obfuscate = flags[2] == '1';
    if (flags[3] == '1') e.rule.public_comment = unescaped(line.substr(t3 + 1));
  }
}

}  // namespace instctl::subscriptions
