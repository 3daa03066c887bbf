// What a client sends before its request is dispatched: the raw header (obs-fold), the framing
// fields and the request target (framing.hpp), and the escaping of any text for a screen or a
// log (util/escape.hpp), in text and in JSON.
//
// Input: a request line, then header lines ("name: value"), as a client would send them.

#include "instctl/net/http_framing.hpp"

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const auto block = http::scan_header_block(text, 4096);
  fuzz::require(block != http::HeaderBlock::incomplete || size < 4096,
                "a header past the limit is never waited for");

  http::Request req;
  req.set_target(std::string(fuzz::take_line(text)));
  while (!text.empty()) {
    const auto line = fuzz::take_line(text);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    req.headers.emplace_back(util::to_lower(line.substr(0, colon)),
                             std::string(util::trim(line.substr(colon + 1))));
  }
  const bool absolute =
      util::starts_with_ci(req.target, "http://") || util::starts_with_ci(req.target, "https://");
  if (!http::check_framing(req) && absolute) {
    fuzz::require(!req.target.empty() && req.target.front() == '/',
                  "an accepted absolute-form target becomes origin-form");
  }

  const std::string escaped = util::escape_control(fuzz::as_text(data, size));
  fuzz::require(util::is_valid_utf8(escaped), "escaped text is valid UTF-8");
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    const auto c = static_cast<unsigned char>(escaped[i]);
    fuzz::require(c >= 0x20 && c != 0x7f, "escaped text holds no C0 control or DEL");
    fuzz::require(!(c == 0xc2 && i + 1 < escaped.size() &&
                    static_cast<unsigned char>(escaped[i + 1]) <= 0x9f),
                  "escaped text holds no C1 control");
  }

  // The JSON logs' strings: always one valid JSON string, no raw control byte, and the very
  // text back when it was valid UTF-8.
  const std::string input(fuzz::as_text(data, size));
  std::string json;
  util::append_json_string(json, input);
  for (const char ch : json) {
    const auto c = static_cast<unsigned char>(ch);
    fuzz::require(c >= 0x20 && c != 0x7f, "a JSON log string holds no raw C0 control or DEL");
  }
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  fuzz::require(parsed.is_string(), "a JSON log string parses");
  if (util::is_valid_utf8(input)) {
    fuzz::require(parsed.get<std::string>() == input, "valid UTF-8 comes back as it was");
  }
  return 0;
}
