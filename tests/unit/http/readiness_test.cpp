#include "instctl/http/readiness.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "test_support.hpp"

namespace instctl::http {

namespace {
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using test::eventually;

Readiness::Options fast() {
  Readiness::Options o;
  o.interval = 20ms;
  o.deadline = 200ms;
  o.delivery_stall = 300ms;
  return o;
}
}  // namespace

TEST(Readiness, ReadyWhenTheDatabaseAnswers) {
  test::TestInstance t;
  std::atomic<int> probes{0};
  Readiness r(t.path(), fast(), {}, [&](const Readiness::Verdict& v, const std::string&) {
    if (v.ready) ++probes;
  });
  EXPECT_TRUE(eventually([&] { return probes.load() >= 2; }));
  EXPECT_TRUE(r.verdict().ready);
  EXPECT_EQ(r.verdict().reason, "");
}

TEST(Readiness, NotReadyWhileAnotherProcessHoldsTheWriteLock) {
  test::TestInstance t;
  Readiness r(t.path(), fast(), {}, {});
  ASSERT_TRUE(eventually([&] { return r.verdict().ready; }));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(t.path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_TRUE(eventually([&] { return !r.verdict().ready; }));
  EXPECT_EQ(r.verdict().reason, "database not answering");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(eventually([&] { return r.verdict().ready; })) << "ready again once released";
}

TEST(Readiness, NotReadyWhenTheDatabaseIsGone) {
  test::TestInstance t;
  Readiness r(t.dir.file("missing.db"), fast(), {}, {});
  EXPECT_TRUE(eventually([&] { return r.verdict().reason == "database not answering"; }));
}

TEST(Readiness, DeliveryWorkerStalledOrStopped) {
  test::TestInstance t;
  std::atomic<Steady::rep> beat{Steady::now().time_since_epoch().count()};
  std::atomic<bool> alive{true};
  Readiness::Heartbeat heartbeat = [&]() -> std::optional<Steady::time_point> {
    if (!alive) return std::nullopt;
    return Steady::time_point(Steady::duration(beat.load()));
  };
  Readiness r(t.path(), fast(), heartbeat, {});
  ASSERT_TRUE(eventually([&] { return r.verdict().ready; }));
  // No beat for longer than delivery_stall.
  EXPECT_TRUE(eventually([&] { return r.verdict().reason == "delivery worker stalled"; }));
  beat = Steady::now().time_since_epoch().count();
  EXPECT_TRUE(r.verdict().ready);
  alive = false;
  EXPECT_EQ(r.verdict().reason, "delivery worker stopped");
}

}  // namespace instctl::http
