#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace instctl::util {

// UTC, ISO 8601 with a Z: 2026-11-28T06:21:38Z.
std::string format_time(std::int64_t unix_seconds);
// Date only: 2026-11-28.
std::string format_date(std::int64_t unix_seconds);
// For people to read in a mail: Saturday 28 November 2026, 06:21 UTC.
std::string format_time_for_people(std::int64_t unix_seconds);
// The latest time parse_time reads (9999-12-31T23:59:59Z), and the longest duration
// parse_duration reads (100 years): bounds that keep `now + duration` and conversions to
// milliseconds far from overflowing.
inline constexpr std::int64_t k_max_time = 253402300799;
inline constexpr std::int64_t k_max_duration = 100LL * 366 * 86400;

// Accepts 2026-11-28T06:21:38Z, 2026-11-28T06:21:38+01:00, 2026-11-28 06:21:38, 2026-11-28
// (midnight UTC) or plain Unix seconds (up to k_max_time).
std::optional<std::int64_t> parse_time(std::string_view text);
// 30m, 12h, 7d, 2w, 45s, or seconds as a plain number. Positive, at most k_max_duration.
std::optional<std::int64_t> parse_duration(std::string_view text);
// An RFC 7231 date for HTTP and mail headers: Sat, 28 Nov 2026 06:21:38 GMT.
std::string format_http_date(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace instctl::util
