#pragma once

// A small, safe subset of Markdown for texts an admin writes (instance.privacy_policy_file),
// parsed into blocks and spans that a template renders, so no markup is ever written by code
// and every character of the text is escaped by the template: raw HTML in the text shows as
// text. Plain text reads as it should: paragraphs at blank lines, line breaks kept.
//
// Blocks: paragraphs, headings (# to ######), lists (-, *, + and 1.), quotes (>), rules (---).
// Spans: **strong**, *emphasis* or _emphasis_, `code`, [text](url) for http(s):, mailto: and
// same-site /paths (any other link is shown as its text), backslash escapes.

#include <string>
#include <string_view>
#include <vector>

namespace instctl::util::markdown {

enum class SpanKind { text, strong, em, code, link };
struct Span {
  SpanKind kind = SpanKind::text;
  std::string text;
  std::string href;  // links only
};
using Line = std::vector<Span>;

enum class BlockKind { paragraph, heading, bullet_list, ordered_list, quote, rule };
struct Block {
  BlockKind kind = BlockKind::paragraph;
  int level = 0;  // headings: 1 to 6
  // Paragraphs, headings and quotes: one item of lines; lists: an item per list item.
  std::vector<std::vector<Line>> items;
};

std::vector<Block> parse(std::string_view text);
Line parse_inline(std::string_view text);
// Whether a link's target may be followed: http://, https://, mailto: or /path (not //host).
bool safe_href(std::string_view href);

}  // namespace instctl::util::markdown
