#include "instctl/metrics/kept_text.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace instctl::metrics {
namespace {

using namespace std::chrono_literals;

struct TestClock {
  KeptText::Time now{};
  KeptText::Now fn() {
    return [this] { return now; };
  }
};

TEST(KeptText, WithinTheTtlTheTextIsReusedAndAfterItRebuilt) {
  TestClock clock;
  KeptText kept(5s, clock.fn());
  int made = 0;
  const auto make = [&] { return "text " + std::to_string(++made); };
  EXPECT_EQ(kept.get(make), "text 1");
  clock.now += 4999ms;
  EXPECT_EQ(kept.get(make), "text 1");  // still within the 5 s
  EXPECT_EQ(made, 1);
  clock.now += 1ms;
  EXPECT_EQ(kept.get(make), "text 2");  // 5 s old: made again
  clock.now += 3s;
  EXPECT_EQ(kept.get(make), "text 2");  // the age counts from the new text
  clock.now += 2s;
  EXPECT_EQ(kept.get(make), "text 3");
  EXPECT_EQ(made, 3);
}

TEST(KeptText, AnEmptyTextIsKeptTooAndAFailureKeepsNothing) {
  TestClock clock;
  KeptText kept(5s, clock.fn());
  int made = 0;
  EXPECT_EQ(kept.get([&] { return (++made, std::string()); }), "");
  EXPECT_EQ(kept.get([&] { return (++made, std::string("x")); }), "");
  EXPECT_EQ(made, 1);
  clock.now += 5s;
  EXPECT_THROW(kept.get([]() -> std::string { throw std::runtime_error("database gone"); }),
               std::runtime_error);
  EXPECT_EQ(kept.get([] { return std::string("again"); }), "again");  // tried at once
}

}  // namespace
}  // namespace instctl::metrics
