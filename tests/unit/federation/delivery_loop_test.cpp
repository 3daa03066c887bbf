#include "instctl/federation/delivery_loop.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "test_support.hpp"

namespace instctl::federation {

namespace {
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using test::eventually;

}  // namespace

TEST(DeliveryLoopHeartbeat, BeatsWhileItPolls) {
  test::TestInstance t;
  DeliveryLoop loop(
      t.path(), t.clock, [](std::string_view) {}, 10ms);
  const auto first = loop.heartbeat();
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(eventually([&] {
    const auto beat = loop.heartbeat();
    return beat && *beat > *first;
  })) << "an idle worker still beats at each poll";
  loop.stop();
  EXPECT_FALSE(loop.heartbeat().has_value()) << "a stopped worker has no heartbeat";
}

TEST(DeliveryLoopHeartbeat, NoneOnceTheThreadHasEnded) {
  test::TestInstance t;
  std::string said;
  std::mutex m;
  DeliveryLoop loop(t.dir.file("missing.db"), t.clock, [&](std::string_view s) {
    std::lock_guard lock(m);
    said = s;
  });
  EXPECT_TRUE(eventually([&] { return !loop.heartbeat().has_value(); }))
      << "a worker that could not open its database is dead, not alive";
  std::lock_guard lock(m);
  EXPECT_NE(said.find("delivery worker stopped"), std::string::npos) << said;
}

}  // namespace instctl::federation
