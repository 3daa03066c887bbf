#include "instctl/http/router.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace instctl::http {

namespace {

Request request_to(const std::string& target, const std::string& method = "GET") {
  Request r;
  r.method = method;
  r.set_target(target);
  return r;
}

Response echo(RouteContext& c) {
  Response r;
  r.body = c.param("name") + "|" + c.req.query_param("q").value_or("-");
  return r;
}

Response site_url(RouteContext& c) {
  Response r;
  r.body = c.site().public_url;
  return r;
}

Response throws_not_found(RouteContext&) {
  throw Error(ErrorKind::not_found, "no user 'x': try this");
}
Response throws_internal(RouteContext&) {
  throw Error(ErrorKind::internal, "disk on fire at /var/x");
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router.add("GET", "/users/{name}", echo);
    router.add("GET", "/@{name}", echo);
    router.add("GET", "/site", site_url);
    router.add("GET", "/missing", throws_not_found);
    router.add("GET", "/broken", throws_internal);
  }
  test::TestInstance inst;
  Router router;
  SiteOverrides overrides;
};

}  // namespace

TEST_F(RouterTest, MatchesParametersAndQuery) {
  auto r = router.dispatch(request_to("/users/al%69ce?q=a+b"), inst.env, overrides);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "alice|a b");
  EXPECT_EQ(router.dispatch(request_to("/users/alice", "HEAD"), inst.env, overrides).body,
            "alice|-");
}

TEST_F(RouterTest, ParameterAfterALiteralPrefix) {
  EXPECT_EQ(router.dispatch(request_to("/@al%69ce"), inst.env, overrides).body, "alice|-");
  EXPECT_EQ(router.dispatch(request_to("/@"), inst.env, overrides).status, 404);
  EXPECT_EQ(router.dispatch(request_to("/alice"), inst.env, overrides).status, 404);
  EXPECT_EQ(router.dispatch(request_to("/%40alice"), inst.env, overrides).status, 404);
}

TEST_F(RouterTest, UnknownPathsAndMethods) {
  EXPECT_EQ(router.dispatch(request_to("/users"), inst.env, overrides).status, 404);
  EXPECT_EQ(router.dispatch(request_to("/users/a/b"), inst.env, overrides).status, 404);
  EXPECT_EQ(router.dispatch(request_to("/users/"), inst.env, overrides).status, 404);
  EXPECT_EQ(router.dispatch(request_to("/users/a", "POST"), inst.env, overrides).status, 405);
}

TEST_F(RouterTest, ErrorsBecomeStatusesWithoutInternals) {
  auto nf = router.dispatch(request_to("/missing"), inst.env, overrides);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.body, R"({"error":"Record not found"})");
  auto broken = router.dispatch(request_to("/broken"), inst.env, overrides);
  EXPECT_EQ(broken.status, 500);
  EXPECT_EQ(broken.body.find("disk"), std::string::npos);
  EXPECT_EQ(broken.log_note, "disk on fire at /var/x");
}

TEST_F(RouterTest, SiteIsReadPerRequest) {
  EXPECT_EQ(router.dispatch(request_to("/site"), inst.env, overrides).body,
            "https://localhost:8080");
  inst.conn->exec(
      "UPDATE settings SET value = 'https://moved.example' WHERE key = 'server.public_url'");
  EXPECT_EQ(router.dispatch(request_to("/site"), inst.env, overrides).body,
            "https://moved.example");
}

TEST(Request, HeadersAndActivityAccept) {
  Request r = request_to("/x");
  r.headers = {
      {"accept", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""}};
  EXPECT_TRUE(wants_activity_json(r));
  r.headers = {{"accept", "text/html"}};
  EXPECT_FALSE(wants_activity_json(r));
  EXPECT_EQ(r.header("accept"), "text/html");
  EXPECT_FALSE(r.header("host"));
}

}  // namespace instctl::http

namespace instctl::http {
namespace {

Response nothing(RouteContext&) { return Response{}; }

TEST(RouterTemplates, EachPathCountsUnderItsPatternAndUnknownPathsUnderNone) {
  Router r;
  r.add("GET", "/users/{username}", nothing);
  r.add("POST", "/users/{username}/inbox", nothing);
  r.add("GET", "/users/{username}/inbox", nothing);  // the same pattern: one template
  r.add("GET", "/@{username}", nothing);
  r.add("GET", "/", nothing);
  ASSERT_EQ(r.templates(), (std::vector<std::string>{"/users/{username}", "/users/{username}/inbox",
                                                     "/@{username}", "/"}));
  EXPECT_EQ(r.template_of("/users/alice"), 0u);
  EXPECT_EQ(r.template_of("/users/al%20ice/inbox"), 1u);
  EXPECT_EQ(r.template_of("/@bob"), 2u);
  EXPECT_EQ(r.template_of("/"), 3u);
  const auto none = r.templates().size();
  EXPECT_EQ(r.template_of("/@"), none) << "a parameter is never empty";
  EXPECT_EQ(r.template_of("/users/alice/"), none) << "a trailing slash is another path";
  EXPECT_EQ(r.template_of("/users"), none);
  EXPECT_EQ(r.template_of(""), none);
  EXPECT_EQ(r.template_of("-"), none);
  EXPECT_EQ(r.template_of("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r"), none);
}

}  // namespace
}  // namespace instctl::http
