#include "instctl/util/row_id.hpp"

#include <gtest/gtest.h>

namespace instctl::util {

TEST(RowId, TakesPositiveDecimalIds) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(parse_id("9223372036854775807"), 9223372036854775807);
}

TEST(RowId, RefusesAnythingElse) {
  for (const char* bad : {"", "0", "-1", "+1", " 1", "1 ", "1x", "0x10", "1.0", "1e3", "id:1",
                          "9223372036854775808", "1'"}) {
    EXPECT_EQ(parse_id(bad), std::nullopt) << bad;
  }
}

}  // namespace instctl::util
