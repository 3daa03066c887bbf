#include "instctl/http/response_cache.hpp"

#include <gtest/gtest.h>

#include "instctl/db/sqlite_connection.hpp"
#include "instctl/http/router.hpp"
#include "test_support.hpp"

namespace instctl::http {

namespace {

using namespace std::chrono_literals;

Response ok(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

Request get(std::string target, std::string host, std::string accept = "") {
  Request r;
  r.method = "GET";
  r.set_target(std::move(target));
  r.headers = {{"host", std::move(host)}};
  if (!accept.empty()) r.headers.emplace_back("accept", std::move(accept));
  return r;
}

}  // namespace

TEST(ResponseCache, AnswersAgainUntilTheVersionMovesOrASecondPasses) {
  ResponseCache cache;
  const auto t0 = ResponseCache::Clock::now();
  cache.store("k", ok("one"), 7, t0);
  ASSERT_TRUE(cache.find("k", 7, t0 + 500ms));
  EXPECT_EQ(cache.find("k", 7, t0 + 500ms)->body, "one");
  EXPECT_FALSE(cache.find("other", 7, t0));
  EXPECT_FALSE(cache.find("k", 8, t0)) << "the database changed";
  EXPECT_EQ(cache.size(), 0u) << "a stale entry is dropped";
  cache.store("k", ok("two"), 8, t0);
  EXPECT_FALSE(cache.find("k", 8, t0 + 1500ms)) << "older than a second";
}

TEST(ResponseCache, KeyHasTargetHostAndAccept) {
  const auto a = ResponseCache::key_of(get("/users/alice", "a.example"));
  EXPECT_NE(a, ResponseCache::key_of(get("/users/alice?x", "a.example")));
  EXPECT_NE(a, ResponseCache::key_of(get("/users/alice", "b.example")));
  EXPECT_NE(a,
            ResponseCache::key_of(get("/users/alice", "a.example", "application/activity+json")));
  EXPECT_EQ(a, ResponseCache::key_of(get("/users/alice", "a.example")));
}

TEST(ResponseCache, BoundedInBytes) {
  ResponseCache cache;
  const auto t0 = ResponseCache::Clock::now();
  cache.store("big", ok(std::string(ResponseCache::k_max_body + 1, 'x')), 1, t0);
  EXPECT_EQ(cache.size(), 0u) << "large answers are not kept";
  const std::string body(4000, 'x');
  for (int i = 0; i < 1000; ++i) cache.store("k" + std::to_string(i), ok(body), 1, t0);
  EXPECT_LE(cache.size() * body.size(), ResponseCache::k_byte_budget);
  EXPECT_TRUE(cache.find("k999", 1, t0)) << "the newest entry is kept";
}

TEST(ResponseCache, DataVersionMovesWithEveryConnectionsCommits) {
  test::TestInstance inst;
  auto other = db::open_sqlite(inst.path(), db::OpenMode::existing);
  const auto v0 = inst.env.db.data_version();
  ASSERT_TRUE(v0);
  EXPECT_EQ(inst.env.db.data_version(), v0) << "reading changes nothing";
  other->exec(
      "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', 'x', 0)");
  const auto v1 = inst.env.db.data_version();
  EXPECT_NE(v1, v0) << "another connection's commit";
  inst.env.db.exec(
      "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', 'y', 0)");
  EXPECT_NE(inst.env.db.data_version(), v1) << "this connection's own commit";
}

TEST(ResponseCache, RouterMarksOnlyCachingRoutesBelow500) {
  test::TestInstance inst;
  Router router;
  router.add(
      "GET", "/doc", [](RouteContext&) { return ok("d"); }, Caching::until_change);
  router.add("GET", "/page", [](RouteContext&) { return ok("p"); });
  router.add(
      "GET", "/broken", [](RouteContext&) -> Response { throw std::runtime_error("x"); },
      Caching::until_change);
  const SiteOverrides overrides;
  EXPECT_TRUE(router.dispatch(get("/doc", "h"), inst.env, overrides).cacheable);
  EXPECT_FALSE(router.dispatch(get("/page", "h"), inst.env, overrides).cacheable);
  EXPECT_FALSE(router.dispatch(get("/broken", "h"), inst.env, overrides).cacheable);
  EXPECT_FALSE(router.dispatch(get("/missing", "h"), inst.env, overrides).cacheable);
}

// The server thread asks for the data version only where an answer may be kept.
TEST(ResponseCache, RouterTellsWhichRequestsMayBeCached) {
  Router router;
  router.add(
      "GET", "/doc/{name}", [](RouteContext&) { return ok("d"); }, Caching::until_change);
  router.add("GET", "/page", [](RouteContext&) { return ok("p"); });
  EXPECT_TRUE(router.may_cache(get("/doc/a", "h")));
  Request head = get("/doc/a", "h");
  head.method = "HEAD";
  EXPECT_TRUE(router.may_cache(head)) << "HEAD goes to the GET route";
  EXPECT_FALSE(router.may_cache(get("/page", "h")));
  EXPECT_FALSE(router.may_cache(get("/missing", "h")));
  Request post = get("/doc/a", "h");
  post.method = "POST";
  EXPECT_FALSE(router.may_cache(post));
}

}  // namespace instctl::http
