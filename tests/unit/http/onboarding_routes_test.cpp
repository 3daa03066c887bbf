#include <gtest/gtest.h>

#include "instctl/db/open.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/url.hpp"
#include "test_support.hpp"

namespace instctl::http {

namespace {

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// The value of the form's hidden token in a page.
std::string token_in(const std::string& page) {
  const std::string marker = "name=\"csrf_token\" value=\"";
  const auto at = page.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return page.substr(start, page.find('"', start) - start);
}

class OnboardingRoutesTest : public ::testing::Test {
 protected:
  OnboardingRoutesTest() { instance::Settings(t.env.db).set(t.env, "waitlist.enabled", "true"); }
  Response send(Request r) {
    r.remote = "192.0.2.7";
    return router.dispatch(r, *m_env, overrides);
  }
  // Sends the next requests through another connection to the same database, as another
  // server process (a replica) would.
  void switch_server() {
    m_other = db::open(t.path(), db::OpenMode::existing);
    m_other_env = std::make_unique<Env>(Env{*m_other, t.clock, "http:replica", t.env.seams});
    m_env = m_other_env.get();
  }
  Response get(const std::string& path, const std::string& cookie = "") {
    Request r;
    r.method = "GET";
    r.set_target(path);
    if (!cookie.empty()) r.headers.emplace_back("cookie", cookie);
    return send(r);
  }
  Response post(const std::string& path, const std::string& body, const Headers& headers) {
    Request r;
    r.method = "POST";
    r.set_target(path);
    r.body = body;
    r.headers = headers;
    r.headers.emplace_back("host", "localhost:8080");
    return send(r);
  }
  // A browser's visit to the waitlist page: its cookie and the form's token.
  std::pair<std::string, std::string> visit() {
    const auto page = get("/waitlist");
    const auto set_cookie = header_of(page, "Set-Cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), token_in(page.body)};
  }
  Headers form_headers(const std::string& cookie) {
    return {{"content-type", "application/x-www-form-urlencoded"}, {"cookie", cookie}};
  }
  test::TestInstance t;
  Router router = make_router();
  SiteOverrides overrides;

 private:
  Env* m_env = &t.env;
  std::unique_ptr<db::Connection> m_other;
  std::unique_ptr<Env> m_other_env;
};

}  // namespace

TEST_F(OnboardingRoutesTest, AFormWithItsCookieAndTokenIsAccepted) {
  const auto [cookie, token] = visit();
  ASSERT_EQ(cookie.rfind("instctl_csrf=", 0), 0u);
  ASSERT_FALSE(token.empty());
  const auto r =
      post("/waitlist", "email=a%40example.com&csrf_token=" + util::percent_encode(token),
           form_headers(cookie));
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("class=\"big\">1<"), std::string::npos);
  EXPECT_TRUE(header_of(get("/waitlist", cookie), "Set-Cookie").empty()) << "the cookie is kept";
}

TEST_F(OnboardingRoutesTest, AnotherServerOnTheDatabaseAcceptsTheTokenAndSharesTheLimits) {
  const auto [cookie, token] = visit();
  instance::Settings(t.env.db).set(t.env, "onboarding.rate_limit", "2/1h");
  const Headers json = {{"content-type", "application/json"}};
  EXPECT_EQ(post("/api/v1/waitlist", R"({"email":"r1@example.com"})", json).status, 201);
  switch_server();
  const auto r =
      post("/waitlist", "email=a%40example.com&csrf_token=" + util::percent_encode(token),
           form_headers(cookie));
  EXPECT_EQ(r.status, 201) << "the token made by the first server: " << r.body;
  EXPECT_EQ(post("/api/v1/waitlist", R"({"email":"r3@example.com"})", json).status, 429)
      << "the client's bucket was emptied on both servers";
}

TEST_F(OnboardingRoutesTest, MissingForgedOrForeignTokensAreRefused) {
  const auto [cookie, token] = visit();
  const std::string body = "email=a%40example.com&csrf_token=";
  EXPECT_EQ(post("/waitlist", body, form_headers(cookie)).status, 403);
  EXPECT_EQ(post("/waitlist", body + util::percent_encode(token), form_headers("")).status, 403);
  const auto [other_cookie, other_token] = visit();
  EXPECT_EQ(
      post("/waitlist", body + util::percent_encode(other_token), form_headers(cookie)).status,
      403);
  auto forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(post("/waitlist", body + util::percent_encode(forged), form_headers(cookie)).status,
            403);
  t.clock.advance(k_csrf_validity + 1);
  EXPECT_EQ(post("/waitlist", body + util::percent_encode(token), form_headers(cookie)).status, 403)
      << "tokens expire";
}

TEST_F(OnboardingRoutesTest, CrossSiteOriginsAreRefusedEvenWithAToken) {
  const auto [cookie, token] = visit();
  const auto body = "email=a%40example.com&csrf_token=" + util::percent_encode(token);
  auto h = form_headers(cookie);
  h.emplace_back("origin", "https://evil.example");
  EXPECT_EQ(post("/waitlist", body, h).status, 403);
  h = form_headers(cookie);
  h.emplace_back("sec-fetch-site", "cross-site");
  EXPECT_EQ(post("/waitlist", body, h).status, 403);
  h = form_headers(cookie);
  h.emplace_back("origin", "http://localhost:8080");
  EXPECT_EQ(post("/waitlist", body, h).status, 201);
}

TEST_F(OnboardingRoutesTest, BodySizeAndMediaTypeAreChecked) {
  const auto [cookie, token] = visit();
  EXPECT_EQ(post("/waitlist", std::string(k_form_body_limit + 1, 'a'), form_headers(cookie)).status,
            413);
  EXPECT_EQ(post("/waitlist", "email=a%40example.com", {{"content-type", "text/plain"}}).status,
            415);
  EXPECT_EQ(post("/api/v1/waitlist", "{\"email\":\"a@example.com\"}",
                 {{"content-type", "application/x-www-form-urlencoded"}})
                .status,
            415);
}

TEST_F(OnboardingRoutesTest, JsonTwinAnswersPositionsAndDuplicates) {
  const Headers json = {{"content-type", "application/json"}};
  auto r = post("/api/v1/waitlist", R"({"email":"j@example.com","username":"jay"})", json);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json::parse(r.body)["position"], 1);
  r = post("/api/v1/waitlist", R"({"email":"J@example.com"})", json);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["already_listed"], true);
  r = post("/api/v1/waitlist", R"({"email":"nope"})", json);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(Json::parse(r.body)["errors"].contains("email"));
  EXPECT_EQ(post("/api/v1/waitlist", "[1]", json).status, 400);
}

TEST_F(OnboardingRoutesTest, RateLimitAnswers429WithRetryAfter) {
  instance::Settings(t.env.db).set(t.env, "onboarding.rate_limit", "2/1h");
  const Headers json = {{"content-type", "application/json"}};
  EXPECT_EQ(post("/api/v1/waitlist", R"({"email":"r1@example.com"})", json).status, 201);
  EXPECT_EQ(post("/api/v1/waitlist", R"({"email":"r2@example.com"})", json).status, 201);
  const auto r = post("/api/v1/waitlist", R"({"email":"r3@example.com"})", json);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(header_of(r, "Retry-After"), "1800");
  t.clock.advance(1800);
  EXPECT_EQ(post("/api/v1/waitlist", R"({"email":"r3@example.com"})", json).status, 201);
}

TEST_F(OnboardingRoutesTest, UnknownInviteCodesShowOnePageAndCountAgainstTheClient) {
  instance::Settings(t.env.db).set(t.env, "onboarding.rate_limit", "3/1h");
  const auto a = get("/invite/ZZZZZZZZZZZZ");
  const auto b = get("/invite/%3Cscript%3E");
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(a.body, b.body) << "the page never depends on the code";
  EXPECT_NE(a.body.find("/waitlist"), std::string::npos) << "waitlist link when enabled";
  get("/invite/QQQQQQQQQQQQ");
  EXPECT_EQ(get("/invite/WWWWWWWWWWWW").status, 429);
}

}  // namespace instctl::http
