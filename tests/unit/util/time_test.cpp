#include "instctl/util/time.hpp"

#include <gtest/gtest.h>

namespace instctl::util {

TEST(Time, FormatsUtcIso8601) { EXPECT_EQ(format_time(1795846898), "2026-11-28T06:21:38Z"); }

TEST(Time, ParsesTheFormsItPrints) {
  EXPECT_EQ(parse_time("2026-11-28T06:21:38Z"), 1795846898);
  EXPECT_EQ(parse_time("2026-11-28T07:21:38+01:00"), 1795846898);
  EXPECT_EQ(parse_time("2026-11-28 06:21:38"), 1795846898);
  EXPECT_EQ(parse_time("2026-11-28T06:21:38.123Z"), 1795846898);
  EXPECT_EQ(parse_time("2026-11-28"), 1795824000);
  EXPECT_EQ(parse_time("1795846898"), 1795846898);
}

// Found by the time_options fuzz target: --expires-in 9223372036854775807 overflowed now + d.
TEST(Time, DurationsAndTimesAreBounded) {
  EXPECT_EQ(parse_duration("5200w"), 5200LL * 7 * 86400);
  EXPECT_EQ(parse_duration(std::to_string(k_max_duration)), k_max_duration);
  for (const char* big :
       {"5300w", "36700d", "9223372036854775807", "9223372036854775807s", "1537228672809129302w"}) {
    EXPECT_FALSE(parse_duration(big).has_value()) << big;
  }
  EXPECT_EQ(parse_time("253402300799"), k_max_time);
  EXPECT_EQ(parse_time("9999-12-31T23:59:59Z"), k_max_time);
  EXPECT_FALSE(parse_time("253402300800").has_value());
  EXPECT_FALSE(parse_time("9223372036854775807").has_value());
}

TEST(Time, RejectsMalformedTimes) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-11-28T25:00:00Z",
                          "2026-11-28T06:21:38Q", "2026-11-28T06", "99999999999999999999999"}) {
    EXPECT_FALSE(parse_time(bad).has_value()) << bad;
  }
}

TEST(Time, ParsesDurations) {
  EXPECT_EQ(parse_duration("30m"), 1800);
  EXPECT_EQ(parse_duration("12h"), 43200);
  EXPECT_EQ(parse_duration("7d"), 604800);
  EXPECT_EQ(parse_duration("2w"), 1209600);
  EXPECT_EQ(parse_duration("90"), 90);
  EXPECT_EQ(parse_duration("45s"), 45);
  for (const char* bad : {"", "d", "-5m", "0", "1.5h", "3y", "99999999999999999999w", "7 d"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Time, HttpDatesRoundTrip) {
  EXPECT_EQ(format_http_date(1795846898), "Sat, 28 Nov 2026 06:21:38 GMT");
  EXPECT_EQ(parse_http_date("Sat, 28 Nov 2026 06:21:38 GMT"), 1795846898);
  EXPECT_FALSE(parse_http_date("Sat, 28 Foo 2026 06:21:38 GMT").has_value());
  EXPECT_FALSE(parse_http_date("2026-11-28").has_value());
}

}  // namespace instctl::util
