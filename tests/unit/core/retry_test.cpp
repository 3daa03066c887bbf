// The one retry rule of deliveries and mails.

#include "instctl/core/retry.hpp"

#include <gtest/gtest.h>

namespace instctl {

TEST(Retry, DelaysDoubleFromOneMinuteUpToSixHours) {
  EXPECT_EQ(retry_delay(1), 60);
  EXPECT_EQ(retry_delay(2), 120);
  EXPECT_EQ(retry_delay(5), 960);
  EXPECT_EQ(retry_delay(20), 6 * 3600);
}

TEST(Retry, JitterStretchesByAtMostAQuarterAndNeverPastGivingUp) {
  EXPECT_EQ(next_retry(1, 1000, 1'000'000, 0.0), 1060);
  EXPECT_EQ(next_retry(1, 1000, 1'000'000, 0.999), 1074);
  EXPECT_EQ(next_retry(20, 1000, 2000, 0.5), 2000);
}

}  // namespace instctl
