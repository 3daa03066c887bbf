// Durations and times given in options and settings: --expires-in / --expires-at (invites,
// waitlist), --since (audit), serve's timeouts, rate settings (N/DURATION), and HTTP dates
// from other servers.
//
// Input: the text of one option value.

#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/expiry.hpp"
#include "instctl/util/time.hpp"
#include "instctl/util/token_bucket.hpp"

using namespace instctl;

namespace {

constexpr UnixTime k_now = 1764316800;              // 2025-11-28T08:00:00Z
constexpr std::int64_t k_year_9999 = 253402300799;  // 9999-12-31T23:59:59Z

void expiry(const std::optional<std::string>& in, const std::optional<std::string>& at) {
  try {
    const auto t = parse_expiry(in, at, k_now);
    fuzz::require(t && *t > k_now, "an expiry is in the future");
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::usage, "a bad expiry is a usage error");
  }
}

void time_round_trip(std::int64_t t) {
  if (t < 0 || t > k_year_9999) return;
  fuzz::require(util::parse_time(util::format_time(t)) == t, "format_time reads back");
  fuzz::require(util::parse_http_date(util::format_http_date(t)) == t,
                "format_http_date reads back");
}

void rate(std::string_view text) {
  const auto bucket = util::parse_rate(text);
  if (!bucket) return;
  auto state = bucket->fresh(k_now);
  for (int i = 0; i < 3; ++i) bucket->take(state, k_now);
  const auto d = bucket->take(state, k_now);
  fuzz::require(d.allowed || d.retry_after >= 1, "a refused request is told when to retry");
  bucket->is_full(state, k_now + bucket->refill_seconds());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  if (const auto d = util::parse_duration(text)) fuzz::require(*d > 0, "a duration is positive");
  if (const auto t = util::parse_time(text)) time_round_trip(*t);
  if (const auto t = util::parse_http_date(text)) time_round_trip(*t);
  expiry(text, std::nullopt);
  expiry(std::nullopt, text);
  rate(text);
  return 0;
}
