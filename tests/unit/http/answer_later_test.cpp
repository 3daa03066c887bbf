#include "instctl/http/answer_later.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "test_support.hpp"

namespace instctl::http {

namespace {

using Clock = std::chrono::steady_clock;

// Records when each started answer was let go.
struct Released {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<int, Clock::time_point>> at;
  std::function<void()> done(int which) {
    return [this, which] {
      {
        std::lock_guard l(m);
        at.emplace_back(which, Clock::now());
      }
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n) {
    std::unique_lock l(m);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return at.size() >= n; });
  }
};

}  // namespace

// start() returns at once (the server's thread is not held); done comes no sooner than the
// time asked, from the timer's thread, and finish() gives the answer the route made.
TEST(AnswerAt, LetsTheAnswerGoAtItsTimeWithoutHoldingTheCaller) {
  Released released;
  Response page;
  page.status = 200;
  page.body = "Check your mail";
  const auto began = Clock::now();
  const auto when = began + std::chrono::milliseconds(300);
  Response r = answer_at(page, when);
  ASSERT_TRUE(r.pending);
  r.pending->start(released.done(1));
  {
    std::lock_guard l(released.m);
    EXPECT_TRUE(released.at.empty()) << "released before its time";
  }
  ASSERT_TRUE(released.wait_for(1));
  EXPECT_GE(released.at[0].second, when);
  test::TestInstance t;
  const Response sent = r.pending->finish(t.env);
  EXPECT_EQ(sent.status, 200);
  EXPECT_EQ(sent.body, "Check your mail");
}

// Answers held for different times go in the order of their times, whatever the order they
// were started in; one whose time has passed goes at once, on the caller's thread.
TEST(AnswerAt, GoesInTheOrderOfTheTimes) {
  Released released;
  const auto now = Clock::now();
  Response late = answer_at(Response{}, now + std::chrono::milliseconds(800));
  Response soon = answer_at(Response{}, now + std::chrono::milliseconds(400));
  Response past = answer_at(Response{}, now - std::chrono::milliseconds(1));
  late.pending->start(released.done(3));
  soon.pending->start(released.done(2));
  past.pending->start(released.done(1));
  {
    std::lock_guard l(released.m);
    ASSERT_EQ(released.at.size(), 1U) << "a time passed is let go at once";
  }
  ASSERT_TRUE(released.wait_for(3));
  EXPECT_EQ(released.at[0].first, 1);
  EXPECT_EQ(released.at[1].first, 2);
  EXPECT_EQ(released.at[2].first, 3);
}

}  // namespace instctl::http
