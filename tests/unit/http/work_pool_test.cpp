// The server's worker pool: every job gets a Worker of its own, and beyond its workers and
// its queue it refuses at once (the server answers 503 then) instead of queueing without bound.

#include "instctl/http/work_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

namespace instctl::http {

namespace {

class NoWorker final : public Worker {
 public:
  Response handle(const Request&) override { return {}; }
  Response resume(const Request&, Pending&) override { return {}; }
};

std::vector<std::unique_ptr<Worker>> workers(int n) {
  std::vector<std::unique_ptr<Worker>> out;
  for (int i = 0; i < n; ++i) out.push_back(std::make_unique<NoWorker>());
  return out;
}

// Jobs that wait until released.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock l(m);
    cv.wait(l, [this] { return open; });
  }
  void release() {
    {
      std::lock_guard l(m);
      open = true;
    }
    cv.notify_all();
  }
};

}  // namespace

TEST(WorkPool, RefusesAtOnceBeyondWorkersAndQueue) {
  WorkPool pool(workers(2), 3);
  Gate gate;
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(pool.submit([&](Worker&) {
      gate.wait();
      ++ran;
    })) << "job "
        << i << " fits (2 running, 3 waiting)";
  }
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(pool.submit([&](Worker&) { ++ran; })) << "the sixth is refused";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(100))
      << "refused without waiting";
  EXPECT_EQ(pool.in_flight(), 5u);
  gate.release();
  pool.join();
  EXPECT_EQ(ran.load(), 5) << "the refused job never ran";
  EXPECT_EQ(pool.in_flight(), 0u);
}

TEST(WorkPool, EachRunningJobHasAWorkerOfItsOwn) {
  WorkPool pool(workers(3), 100);
  std::mutex m;
  std::set<Worker*> busy;
  std::atomic<bool> shared{false};
  std::atomic<int> done{0};
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(pool.submit([&](Worker& w) {
      {
        std::lock_guard l(m);
        if (!busy.insert(&w).second) shared = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      {
        std::lock_guard l(m);
        busy.erase(&w);
      }
      ++done;
    }));
  }
  pool.join();
  EXPECT_EQ(done.load(), 60);
  EXPECT_FALSE(shared) << "two jobs ran on one Worker at once";
}

}  // namespace instctl::http
