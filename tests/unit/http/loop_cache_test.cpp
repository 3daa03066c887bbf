#include "instctl/http/loop_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace instctl::http {

namespace {

using namespace std::chrono_literals;
using Clock = LoopCache::Clock;

// What each waiting request was resumed with: its kept answer's body, or "worker".
struct Outcomes {
  std::vector<std::string> seen;
  LoopCache::Resume resume() {
    return [this](std::optional<Response> kept) { seen.push_back(kept ? kept->body : "worker"); };
  }
};

Response answer(std::string body) {
  Response r;
  r.body = std::move(body);
  r.cacheable = true;
  return r;
}

constexpr std::uintptr_t k_worker_a = 1;
constexpr std::uintptr_t k_worker_b = 2;

}  // namespace

TEST(LoopCache, NothingKeptAsksAWorker) {
  LoopCache cache;
  Outcomes out;
  EXPECT_EQ(cache.wait("k", Clock::now(), out.resume()), LoopCache::Wait::ask_worker);
  EXPECT_EQ(cache.waiting(), 0u);
}

TEST(LoopCache, RequestsShareOneReadingTakenAfterTheyArrived) {
  LoopCache cache;
  Outcomes out;
  const auto t0 = Clock::now();
  cache.store("k", answer("doc"), k_worker_a, 7, t0);
  EXPECT_EQ(cache.wait("k", t0 + 1ms, out.resume()), LoopCache::Wait::read);
  EXPECT_EQ(cache.wait("k", t0 + 2ms, out.resume()), LoopCache::Wait::waiting)
      << "a reading is already under way";
  EXPECT_FALSE(cache.on_reading({k_worker_a, 7, t0 + 3ms}, t0 + 4ms)) << "nobody still waits";
  EXPECT_EQ(out.seen, (std::vector<std::string>{"doc", "doc"}));
}

// The rule that keeps a write made just before a request visible to it: a reading taken
// before the request arrived says nothing about a commit in between, however recent it is.
TEST(LoopCache, AReadingOlderThanTheRequestDoesNotAnswerIt) {
  LoopCache cache;
  Outcomes out;
  const auto t0 = Clock::now();
  cache.store("k", answer("doc"), k_worker_a, 7, t0);
  EXPECT_EQ(cache.wait("k", t0 + 1ms, out.resume()), LoopCache::Wait::read);
  EXPECT_EQ(cache.wait("k", t0 + 3ms, out.resume()), LoopCache::Wait::waiting);
  EXPECT_TRUE(cache.on_reading({k_worker_a, 7, t0 + 2ms}, t0 + 4ms))
      << "the second request arrived after the reading was taken: another reading";
  EXPECT_EQ(out.seen, (std::vector<std::string>{"doc"}));
  EXPECT_EQ(cache.waiting(), 1u);
  // The command line committed at t0 + 3.5 ms: the next reading sees another version.
  EXPECT_FALSE(cache.on_reading({k_worker_a, 8, t0 + 5ms}, t0 + 6ms));
  EXPECT_EQ(out.seen, (std::vector<std::string>{"doc", "worker"}));
  EXPECT_EQ(cache.wait("k", t0 + 7ms, out.resume()), LoopCache::Wait::ask_worker)
      << "the stale answer is gone";
}

TEST(LoopCache, OnlyTheReadingOfTheConnectionThatMadeTheAnswerCounts) {
  LoopCache cache;
  Outcomes out;
  const auto t0 = Clock::now();
  cache.store("k", answer("doc"), k_worker_a, 7, t0);
  cache.wait("k", t0, out.resume());
  cache.on_reading({k_worker_b, 7, t0 + 1ms}, t0 + 1ms);
  EXPECT_EQ(out.seen, (std::vector<std::string>{"worker"}))
      << "SQLite's versions of two connections are not comparable";
}

TEST(LoopCache, NoVersionOrAnOldAnswerGoesToAWorker) {
  LoopCache cache;
  Outcomes out;
  const auto t0 = Clock::now();
  cache.store("k", answer("doc"), k_worker_a, 7, t0);
  cache.wait("k", t0, out.resume());
  cache.on_reading({k_worker_a, std::nullopt, t0 + 1ms}, t0 + 1ms);
  cache.store("k", answer("doc"), k_worker_a, 7, t0);
  cache.wait("k", t0 + 1500ms, out.resume());
  cache.on_reading({k_worker_a, 7, t0 + 1600ms}, t0 + 1600ms);
  EXPECT_EQ(out.seen, (std::vector<std::string>{"worker", "worker"}))
      << "an unknown version, then an answer older than a second";
}

TEST(LoopCache, EachRequestGetsItsOwnKeysAnswer) {
  LoopCache cache;
  Outcomes out;
  const auto t0 = Clock::now();
  cache.store("a", answer("doc a"), k_worker_a, 7, t0);
  cache.store("b", answer("doc b"), k_worker_a, 7, t0);
  cache.wait("b", t0, out.resume());
  cache.wait("a", t0, out.resume());
  EXPECT_EQ(cache.wait("c", t0, out.resume()), LoopCache::Wait::ask_worker);
  cache.on_reading({k_worker_a, 7, t0 + 1ms}, t0 + 1ms);
  EXPECT_EQ(out.seen, (std::vector<std::string>{"doc b", "doc a"}));
}

}  // namespace instctl::http
