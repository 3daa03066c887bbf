#include <gtest/gtest.h>

#include "instctl/http/routes/routes.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/invites/invite_service.hpp"
#include "test_support.hpp"

namespace instctl::http {

namespace {

class OidcRoutesTest : public ::testing::Test {
 protected:
  Response get(const std::string& path, const std::string& cookie = "") {
    Request r;
    r.method = "GET";
    r.set_target(path);
    r.remote = "192.0.2.8";
    if (!cookie.empty()) r.headers.emplace_back("cookie", cookie);
    return router.dispatch(r, t.env, overrides);
  }
  void configure() {
    instance::Settings s(t.env.db);
    s.set(t.env, "auth.oidc.issuer", "https://id.partner.example");
    s.set(t.env, "auth.oidc.client_id", "instctl");
    s.set(t.env, "auth.oidc.display_name", "Partner <Press>");
  }
  std::string invite_code() {
    return invites::InviteService(t.env).create(invites::CreateInviteRequest{}).front().code;
  }
  test::TestInstance t;
  Router router = make_router();
  SiteOverrides overrides;
};

TEST_F(OidcRoutesTest, WithoutTheSettingsThereIsNoButtonAndNoFlow) {
  const auto page = get("/invite/" + invite_code());
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("Continue with"), std::string::npos);
  for (const char* path : {"/auth/oidc/start", "/auth/oidc/callback?state=x&code=y"}) {
    const auto r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("not offered here"), std::string::npos) << path;
  }
}

TEST_F(OidcRoutesTest, TheInvitePageOffersThePartnerWithTheInvite) {
  configure();
  const auto code = invite_code();
  const auto page = get("/invite/" + code);
  EXPECT_NE(page.body.find("Continue with Partner &lt;Press&gt;"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("href=\"/auth/oidc/start?invite=" + code + "\""), std::string::npos);
}

TEST_F(OidcRoutesTest, ACallbackWithoutStateOrCookieIsRefusedWithAPage) {
  configure();
  auto r = get("/auth/oidc/callback?code=abc");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("has no state"), std::string::npos);
  r = get("/auth/oidc/callback?code=abc&state=made-up");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("used already or has expired"), std::string::npos);
}

}  // namespace

}  // namespace instctl::http
