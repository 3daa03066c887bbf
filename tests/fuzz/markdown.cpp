// Markdown as admins write it (instance.privacy_policy_file): util::markdown's blocks and spans.
// Properties: every link it keeps has a safe target; no text is invented (each span's text is
// part of the input); nothing it parses crashes or loops.
//
// Input: the file.

#include "instctl/util/markdown.hpp"

#include <string>

#include "fuzz_support.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& block : util::markdown::parse(text)) {
    fuzz::require(
        block.kind != util::markdown::BlockKind::heading || (block.level >= 1 && block.level <= 6),
        "a heading's level is 1 to 6");
    for (const auto& item : block.items) {
      for (const auto& line : item) {
        for (const auto& span : line) {
          if (span.kind == util::markdown::SpanKind::link) {
            fuzz::require(util::markdown::safe_href(span.href), "a link kept has a safe target");
            fuzz::require(text.find(span.href) != std::string::npos, "its target is from the text");
          }
          fuzz::require(span.text.size() <= text.size(), "no span is longer than the text");
        }
      }
    }
  }
  return 0;
}
