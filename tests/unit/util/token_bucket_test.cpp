#include "instctl/util/token_bucket.hpp"

#include <gtest/gtest.h>

#include "instctl/core/clock.hpp"

namespace instctl::util {

TEST(TokenBucket, AllowsABurstThenRefusesWithRetryAfter) {
  FixedClock clock(1000);
  const TokenBucket bucket(3, 3600);  // one token back every 20 minutes
  auto state = bucket.fresh(clock.now());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.take(state, clock.now()).allowed) << i;
  const auto refused = bucket.take(state, clock.now());
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1200);
  clock.advance(600);
  const auto still = bucket.take(state, clock.now());
  EXPECT_FALSE(still.allowed);
  EXPECT_EQ(still.retry_after, 600);
}

TEST(TokenBucket, RecoversOneTokenPerPeriodAndNeverMoreThanCapacity) {
  FixedClock clock(1000);
  const TokenBucket bucket(3, 3600);
  auto state = bucket.fresh(clock.now());
  for (int i = 0; i < 3; ++i) bucket.take(state, clock.now());
  clock.advance(1200);
  EXPECT_TRUE(bucket.take(state, clock.now()).allowed);
  EXPECT_FALSE(bucket.take(state, clock.now()).allowed);
  EXPECT_FALSE(bucket.is_full(state, clock.now()));
  clock.advance(10 * 3600);
  EXPECT_TRUE(bucket.is_full(state, clock.now()));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.take(state, clock.now()).allowed) << i;
  EXPECT_FALSE(bucket.take(state, clock.now()).allowed);
}

TEST(TokenBucket, AClockGoingBackwardsNeitherRefillsNorDrains) {
  const TokenBucket bucket(2, 60);
  auto state = bucket.fresh(5000);
  EXPECT_TRUE(bucket.take(state, 5000).allowed);
  EXPECT_TRUE(bucket.take(state, 4000).allowed);
  EXPECT_FALSE(bucket.take(state, 4000).allowed);
  EXPECT_EQ(state.updated_at, 5000);
}

TEST(TokenBucket, ParsesRates) {
  auto r = parse_rate("10/1h");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->capacity(), 10);
  EXPECT_EQ(r->refill_seconds(), 3600);
  EXPECT_EQ(parse_rate("5/90")->refill_seconds(), 90);
  for (const char* bad : {"", "10", "/1h", "0/1h", "x/1h", "10/", "10/forever", "-1/1h", "10/0",
                          "99999999/1h", "1/9223372036854775807s", "1/9223372036854775807"}) {
    EXPECT_FALSE(parse_rate(bad)) << bad;
  }
}

}  // namespace instctl::util
