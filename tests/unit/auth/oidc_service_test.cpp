#include "instctl/auth/oidc_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "instctl/auth/pkce.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/url.hpp"
#include "test_keys.hpp"
#include "test_support.hpp"

namespace instctl::auth {

namespace {

using test::SigningKey;
using Outcome = CallbackResult::Outcome;

constexpr const char* k_issuer = "https://id.partner.example";
constexpr const char* k_browser = "browser-nonce-0123456789abcdefghijklmnop";

// The provider, in memory: discovery, JWKS, and a token endpoint that checks PKCE and signs
// an ID token for whatever `claims` says, with the nonce of the last authorization request.
class FakeProvider : public net::HttpClient {
 public:
  explicit FakeProvider(const SigningKey& key) : m_key(key) {}
  net::HttpResponse send(const net::HttpRequest& req) override {
    requests.push_back(req);
    net::HttpResponse res;
    res.status = 200;
    if (down) throw Error(ErrorKind::remote, "connection refused");
    if (req.url == std::string(k_issuer) + "/.well-known/openid-configuration") {
      res.body = discovery.dump();
    } else if (req.url == std::string(k_issuer) + "/jwks") {
      res.body = test::jwks_of({&m_key});
    } else if (req.url == std::string(k_issuer) + "/token") {
      const auto verifier = util::query_value(req.body, "code_verifier");
      if (!verifier || code_challenge_s256(*verifier) != challenge ||
          util::query_value(req.body, "code") != "the-code") {
        res.status = 400;
        res.body = R"({"error":"invalid_grant"})";
        return res;
      }
      Json c = claims;
      if (!c.contains("nonce")) c["nonce"] = nonce;
      res.body = Json{
          {"id_token", (signer ? signer : &m_key)->sign(c)},
          {"access_token", "the-access-token"},
          {"token_type",
           "Bearer"}}.dump();
    } else if (req.url == std::string(k_issuer) + "/userinfo") {
      const auto auth = std::find_if(req.headers.begin(), req.headers.end(),
                                     [](const auto& h) { return h.name == "Authorization"; });
      if (auth == req.headers.end() || auth->value != "Bearer the-access-token") {
        res.status = 401;
        return res;
      }
      res.body = userinfo.dump();
    } else {
      res.status = 404;
    }
    return res;
  }
  // What the browser brings back from the authorization URL.
  std::string authorize(const std::string& url) {
    const auto query = url.substr(url.find('?') + 1);
    nonce = *util::query_value(query, "nonce");
    challenge = *util::query_value(query, "code_challenge");
    EXPECT_EQ(util::query_value(query, "code_challenge_method"), "S256");
    EXPECT_EQ(util::query_value(query, "client_id"), "instctl-client");
    return *util::query_value(query, "state");
  }

  Json discovery{{"issuer", k_issuer},
                 {"authorization_endpoint", std::string(k_issuer) + "/auth"},
                 {"token_endpoint", std::string(k_issuer) + "/token"},
                 {"jwks_uri", std::string(k_issuer) + "/jwks"},
                 {"userinfo_endpoint", std::string(k_issuer) + "/userinfo"},
                 {"id_token_signing_alg_values_supported", Json::array({"RS256", "ES256"})},
                 {"code_challenge_methods_supported", Json::array({"S256"})}};
  Json claims;
  Json userinfo{{"sub", "member-42"}};
  const SigningKey* signer = nullptr;
  std::string nonce;
  std::string challenge;
  bool down = false;
  std::vector<net::HttpRequest> requests;

 private:
  const SigningKey& m_key;
};

class OidcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto secret = t.dir.file("secret");
    std::ofstream(secret) << "s3cret-value\n";
    set("auth.oidc.issuer", k_issuer);
    set("auth.oidc.client_id", "instctl-client");
    set("auth.oidc.client_secret_file", secret.c_str());
    set("auth.oidc.display_name", "Partner");
    set("registrations.mode", "open");
    provider->claims = Json{{"iss", k_issuer},
                            {"aud", "instctl-client"},
                            {"sub", "member-42"},
                            {"iat", test::k_test_now},
                            {"exp", test::k_test_now + 300},
                            {"email", "ada@partner.example"},
                            {"email_verified", true},
                            {"preferred_username", "ada.l"}};
  }
  void set(const char* setting, const char* value) {
    instance::Settings(t.env.db).set(t.env, setting, value);
  }
  CallbackResult sign_in(std::optional<std::string> invite = {}) {
    const auto state = provider->authorize(svc.begin(invite, k_browser));
    return svc.callback({state, "the-code", "", k_browser, std::nullopt});
  }
  std::size_t accounts() {
    auto st = t.env.db.prepare("SELECT count(*) FROM accounts WHERE domain = ''");
    st->step();
    return static_cast<std::size_t>(st->get_int(0));
  }

  static inline SigningKey* key = nullptr;
  static void SetUpTestSuite() { key = new SigningKey(SigningKey::Type::ec, "ec-1"); }
  static void TearDownTestSuite() { delete key; }

  test::TestInstance t;
  std::shared_ptr<FakeProvider> provider = std::make_shared<FakeProvider>(*key);
  OidcService svc{t.env, provider};
};

TEST_F(OidcServiceTest, TheAuthorizationUrlCarriesStateNonceAndAnS256Challenge) {
  const auto url = svc.begin(std::nullopt, k_browser);
  EXPECT_EQ(url.rfind(std::string(k_issuer) + "/auth?", 0), 0u) << url;
  const auto q = url.substr(url.find('?') + 1);
  EXPECT_EQ(util::query_value(q, "redirect_uri"), "https://localhost:8080/auth/oidc/callback");
  EXPECT_EQ(util::query_value(q, "response_type"), "code");
  EXPECT_EQ(util::query_value(q, "state")->size(), 43u);
  EXPECT_EQ(util::query_value(q, "nonce")->size(), 43u);
  // Only the state's hash is stored.
  auto st = t.env.db.prepare("SELECT state_hash FROM oidc_logins");
  ASSERT_TRUE(st->step());
  EXPECT_EQ(st->get_text(0), crypto::sha256_hex(*util::query_value(q, "state")));
}

TEST_F(OidcServiceTest, ASignInCreatesALinkedAccountAndASecondOneFindsIt) {
  const auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::choose_username) << (r.refusal ? r.refusal->message : "");
  EXPECT_EQ(r.username, "ada_l");
  EXPECT_EQ(r.email, "ada@partner.example");
  EXPECT_TRUE(r.email_locked);
  // The client secret went to the token endpoint, in the Authorization header only.
  const auto& token_req = provider->requests[2];
  EXPECT_EQ(token_req.url, std::string(k_issuer) + "/token");
  EXPECT_EQ(token_req.body.find("s3cret"), std::string::npos);
  const auto reg = svc.register_account({r.ticket, "ada", "ignored@example.com", true});
  ASSERT_TRUE(reg.sign_up.user) << (reg.refusal ? reg.refusal->message
                                                : reg.sign_up.errors.at(0).message);
  EXPECT_EQ(reg.sign_up.user->email, "ada@partner.example");
  EXPECT_EQ(reg.sign_up.handle, "@ada@localhost:8080");
  const auto ids = svc.identities(reg.sign_up.user->id);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].issuer, k_issuer);
  EXPECT_EQ(ids[0].subject, "member-42");

  const auto again = sign_in();
  ASSERT_EQ(again.outcome, Outcome::existing_account);
  EXPECT_EQ(again.account->username, "ada");
  EXPECT_EQ(accounts(), 1u);  // ada, once
  // The ticket was used: a resubmitted form creates nothing.
  const auto twice = svc.register_account({r.ticket, "ada2", "", true});
  EXPECT_TRUE(twice.refusal);
  EXPECT_EQ(accounts(), 1u);
}

TEST_F(OidcServiceTest, AReplayedStateIsRefused) {
  const auto state = provider->authorize(svc.begin(std::nullopt, k_browser));
  EXPECT_EQ(svc.callback({state, "the-code", "", k_browser, std::nullopt}).outcome,
            Outcome::choose_username);
  const auto replay = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  EXPECT_EQ(replay.outcome, Outcome::refused);
  EXPECT_NE(replay.refusal->message.find("used already"), std::string::npos);
}

TEST_F(OidcServiceTest, AnExpiredStateOrAnotherBrowserIsRefused) {
  auto state = provider->authorize(svc.begin(std::nullopt, k_browser));
  t.clock.advance(k_login_validity + 1);
  EXPECT_EQ(svc.callback({state, "the-code", "", k_browser, std::nullopt}).outcome,
            Outcome::refused);
  state = provider->authorize(svc.begin(std::nullopt, k_browser));
  const auto other =
      svc.callback({state, "the-code", "", "another-browser-nonce-0123456789abcdef", std::nullopt});
  EXPECT_EQ(other.outcome, Outcome::refused);
  EXPECT_NE(other.refusal->message.find("another browser"), std::string::npos);
}

TEST_F(OidcServiceTest, AMissingPkceVerifierIsRefusedBeforeTheCodeIsSent) {
  const auto state = provider->authorize(svc.begin(std::nullopt, k_browser));
  t.env.db.exec("UPDATE oidc_logins SET code_verifier = NULL");
  const auto r = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  EXPECT_EQ(r.outcome, Outcome::refused);
  EXPECT_NE(r.refusal->message.find("PKCE"), std::string::npos);
  for (const auto& req : provider->requests) EXPECT_NE(req.url, std::string(k_issuer) + "/token");
}

TEST_F(OidcServiceTest, BadTokensAreRefusedWithTheirReason) {
  const SigningKey stranger(SigningKey::Type::ec, "ec-1");
  provider->signer = &stranger;
  auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_NE(r.refusal->message.find("not signed by the provider's key"), std::string::npos);
  provider->signer = nullptr;
  provider->claims["aud"] = "another-client";
  r = sign_in();
  EXPECT_NE(r.refusal->message.find("meant for another site"), std::string::npos);
  provider->claims["aud"] = "instctl-client";
  provider->claims["exp"] = test::k_test_now - 3600;
  r = sign_in();
  EXPECT_NE(r.refusal->message.find("expired"), std::string::npos);
  provider->claims["exp"] = test::k_test_now + 300;
  provider->claims["nonce"] = "from-another-attempt";
  r = sign_in();
  EXPECT_NE(r.refusal->message.find("another sign-in attempt"), std::string::npos);
  EXPECT_EQ(accounts(), 0u);
}

TEST_F(OidcServiceTest, ClaimsOnlyAtTheUserInfoEndpointAreFetched) {
  // OpenID Connect Core 5.4: a provider with oidc-provider's defaults keeps them out of the token.
  for (const char* c : {"email", "email_verified", "preferred_username"}) provider->claims.erase(c);
  provider->userinfo = Json{{"sub", "member-42"},
                            {"email", "ada@partner.example"},
                            {"email_verified", true},
                            {"preferred_username", "ada.l"}};
  const auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::choose_username) << (r.refusal ? r.refusal->message : "");
  EXPECT_EQ(r.email, "ada@partner.example");
  EXPECT_TRUE(r.email_locked);
  EXPECT_EQ(r.username, "ada_l");
  EXPECT_EQ(provider->requests.back().url, std::string(k_issuer) + "/userinfo");
  // Claims the token carries are not asked for again.
  provider->claims["email"] = "ada@partner.example";
  provider->claims["email_verified"] = true;
  const auto before = provider->requests.size();
  sign_in();
  for (auto i = before; i < provider->requests.size(); ++i) {
    EXPECT_NE(provider->requests[i].url, std::string(k_issuer) + "/userinfo");
  }
}

TEST_F(OidcServiceTest, AUserInfoAnswerAboutSomeoneElseIsRefused) {
  provider->claims.erase("email");
  provider->userinfo =
      Json{{"sub", "member-666"}, {"email", "mallory@partner.example"}, {"email_verified", true}};
  auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.refusal->status, 502);
  EXPECT_NE(r.log_reason.find("another subject"), std::string::npos) << r.log_reason;
  provider->userinfo.erase("sub");
  r = sign_in();
  EXPECT_EQ(r.outcome, Outcome::refused) << "a UserInfo answer without sub";
  EXPECT_EQ(accounts(), 0u);
}

TEST_F(OidcServiceTest, AnUnverifiedAddressIsNeitherLockedNorKept) {
  provider->claims["email_verified"] = false;
  const auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::choose_username);
  EXPECT_EQ(r.email, "ada@partner.example");  // a suggestion for the form
  EXPECT_FALSE(r.email_locked);
  const auto reg = svc.register_account({r.ticket, "ada", "ada@home.example", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_EQ(reg.sign_up.user->email, "ada@home.example");
  const auto ids = svc.identities(reg.sign_up.user->id);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_FALSE(ids[0].email) << "the provider did not vouch for it";
}

TEST_F(OidcServiceTest, ATrailingSlashOnTheProvidersIssuerIsTheSamePerson) {
  const std::string slashed = std::string(k_issuer) + "/";
  provider->discovery["issuer"] = slashed;
  provider->claims["iss"] = slashed;
  const auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::choose_username) << (r.refusal ? r.refusal->message : "");
  const auto reg = svc.register_account({r.ticket, "ada", "", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_EQ(svc.identities(reg.sign_up.user->id).at(0).issuer, k_issuer);
  provider->discovery["issuer"] = k_issuer;
  provider->claims["iss"] = k_issuer;
  const auto again = sign_in();
  ASSERT_EQ(again.outcome, Outcome::existing_account);
  EXPECT_EQ(again.account->username, "ada");
  EXPECT_EQ(accounts(), 1u);
}

TEST_F(OidcServiceTest, EveryRefusalHasAReasonForTheLogWithoutSecrets) {
  provider->claims["nbf"] = test::k_test_now + 10 * 365 * 86400;
  auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.log_reason, "the ID token was refused (not_yet_valid)");
  provider->claims.erase("nbf");
  provider->claims["azp"] = "another-client";
  r = sign_in();
  EXPECT_EQ(r.log_reason, "the ID token was refused (wrong_authorized_party)");
  provider->claims.erase("azp");
  const auto state = provider->authorize(svc.begin(std::nullopt, k_browser));
  r = svc.callback({state, "the-code", "access_denied", k_browser, std::nullopt});
  EXPECT_EQ(r.log_reason, "the provider answered error=access_denied");
  r = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  EXPECT_FALSE(r.log_reason.empty());
  EXPECT_EQ(r.log_reason.find(state), std::string::npos);
  EXPECT_EQ(r.log_reason.find("the-code"), std::string::npos);
}

TEST_F(OidcServiceTest, AnUnreachableProviderIsAClearRefusal) {
  const auto state = provider->authorize(svc.begin(std::nullopt, k_browser));
  provider->down = true;
  const auto r = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.refusal->status, 502);
  EXPECT_EQ(test::kind_of([&] { svc.begin(std::nullopt, k_browser); }), ErrorKind::remote);
}

TEST_F(OidcServiceTest, TheRegistrationModeStillDecides) {
  set("registrations.mode", "invite");
  auto r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.refusal->heading, "Joining is by invitation");

  invites::CreateInviteRequest ir;
  const auto code = invites::InviteService(t.env).create(ir).front().code;
  r = sign_in(code);
  ASSERT_EQ(r.outcome, Outcome::choose_username);
  auto reg = svc.register_account({r.ticket, "invited", "", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_EQ(reg.sign_up.user->invite_code, code);

  set("auth.oidc.bypass_waitlist", "true");
  provider->claims["sub"] = "member-43";
  provider->claims["email"] = "bea@partner.example";
  r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::choose_username);
  reg = svc.register_account({r.ticket, "bea", "", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_FALSE(reg.sign_up.pending);

  set("registrations.mode", "approval");
  provider->claims["sub"] = "member-44";
  provider->claims["email"] = "cy@partner.example";
  r = sign_in();
  reg = svc.register_account({r.ticket, "cy", "", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_TRUE(reg.sign_up.pending);

  set("registrations.mode", "closed");
  provider->claims["sub"] = "member-45";
  r = sign_in();
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.refusal->heading, "Registrations are closed");
}

TEST_F(OidcServiceTest, AllowedDomainsNeedAVerifiedAddressThere) {
  set("auth.oidc.allowed_domains", "partner.example");
  EXPECT_EQ(sign_in().outcome, Outcome::choose_username);
  provider->claims["email_verified"] = false;
  EXPECT_EQ(sign_in().outcome, Outcome::refused);
  provider->claims["email_verified"] = true;
  provider->claims["email"] = "ada@elsewhere.example";
  EXPECT_EQ(sign_in().outcome, Outcome::refused);
}

TEST_F(OidcServiceTest, ATakenUsernameKeepsTheTicketForAnotherTry) {
  const auto r = sign_in();
  const auto taken = svc.register_account({r.ticket, "admin", "", true});
  EXPECT_FALSE(taken.sign_up.user);
  ASSERT_FALSE(taken.sign_up.errors.empty());
  EXPECT_EQ(taken.sign_up.errors[0].field, "username");
  const auto ok = svc.register_account({r.ticket, "ada", "", true});
  EXPECT_TRUE(ok.sign_up.user);
}

TEST_F(OidcServiceTest, UnlinkRemovesTheIdentityAndIsAudited) {
  const auto r = sign_in();
  const auto reg = svc.register_account({r.ticket, "ada", "", true});
  ASSERT_TRUE(reg.sign_up.user);
  EXPECT_EQ(svc.unlink("ada").size(), 1u);
  EXPECT_TRUE(svc.identities(reg.sign_up.user->id).empty());
  EXPECT_EQ(test::kind_of([&] { svc.unlink("ada"); }), ErrorKind::not_found);
  auto st =
      t.env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'users.unlink_identity'");
  st->step();
  EXPECT_EQ(st->get_int(0), 1);
}

TEST_F(OidcServiceTest, DeletingTheAccountForgetsItsIdentity) {
  const auto r = sign_in();
  ASSERT_TRUE(svc.register_account({r.ticket, "ada", "", true}).sign_up.user);
  users::UserService(t.env).remove("ada");
  EXPECT_EQ(sign_in().outcome, Outcome::choose_username) << "a new sign-up, not the tombstone";
}

// From /settings: the identity is linked to the signed-in account that started it; then
// "Sign in with ..." finds that account.
TEST_F(OidcServiceTest, ASignedInMemberLinksTheIdentityAndThenSignsInWithIt) {
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  req.password = "correct-horse";
  const auto bea = users::UserService(t.env).create(req).user;
  auto state =
      provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::link, bea.id}));
  const auto linked = svc.callback({state, "the-code", "", k_browser, bea.id});
  ASSERT_EQ(linked.outcome, Outcome::linked) << (linked.refusal ? linked.refusal->message : "");
  EXPECT_EQ(linked.account->username, "bea");
  ASSERT_EQ(svc.identities(bea.id).size(), 1u);
  EXPECT_EQ(svc.identities(bea.id)[0].subject, "member-42");
  EXPECT_EQ(svc.identities(bea.id)[0].email, "ada@partner.example");

  state = provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::sign_in, 0}));
  const auto in = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  ASSERT_EQ(in.outcome, Outcome::signed_in) << (in.refusal ? in.refusal->message : "");
  EXPECT_EQ(in.account->id, bea.id);
  EXPECT_EQ(accounts(), 1u) << "no sign-up";
}

TEST_F(OidcServiceTest, ALinkFinishesOnlyForTheAccountThatStartedIt) {
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  req.password = "correct-horse";
  const auto bea = users::UserService(t.env).create(req).user;
  const auto state =
      provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::link, bea.id}));
  const auto r = svc.callback({state, "the-code", "", k_browser, bea.id + 1});
  EXPECT_EQ(r.outcome, Outcome::refused);
  EXPECT_TRUE(svc.identities(bea.id).empty());
}

// The purpose is a column of the sign-in's row; the browser's nonce alone is hashed.
TEST_F(OidcServiceTest, ASignInKeepsItsPurposeInItsOwnColumn) {
  svc.begin(std::nullopt, k_browser, {LoginPurpose::link, 7});
  svc.begin(std::nullopt, k_browser, {LoginPurpose::sign_in, 0});
  svc.begin(std::nullopt, k_browser, {});
  auto st = t.env.db.prepare(
      "SELECT purpose, coalesce(link_account_id, 0), browser_hash FROM oidc_logins ORDER BY id");
  std::vector<std::string> rows;
  while (st->step()) {
    rows.push_back(st->get_text(0) + " " + std::to_string(st->get_int(1)));
    EXPECT_EQ(st->get_text(2), crypto::sha256_hex(k_browser));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"link 7", "sign_in 0", "sign_up 0"}));
}

// A row written before migration 0017 (purpose NULL, the purpose mixed into browser_hash)
// still finishes, for the account that started it only.
TEST_F(OidcServiceTest, ASignInStartedBeforeThePurposeColumnStillFinishes) {
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  req.password = "correct-horse";
  const auto bea = users::UserService(t.env).create(req).user;
  const auto legacy = [&] {
    auto st = t.env.db.prepare(
        "UPDATE oidc_logins SET purpose = NULL, link_account_id = NULL, browser_hash = ?");
    st->bind_all(crypto::sha256_hex(std::string(k_browser) + "\nlink:" + std::to_string(bea.id)));
    st->run();
  };
  auto state =
      provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::link, bea.id}));
  legacy();
  EXPECT_EQ(svc.callback({state, "the-code", "", k_browser, bea.id + 1}).outcome, Outcome::refused);
  state = provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::link, bea.id}));
  legacy();
  const auto linked = svc.callback({state, "the-code", "", k_browser, bea.id});
  ASSERT_EQ(linked.outcome, Outcome::linked) << (linked.refusal ? linked.refusal->message : "");
  EXPECT_EQ(svc.identities(bea.id).size(), 1u);
}

TEST_F(OidcServiceTest, SigningInWithAnUnlinkedIdentityCreatesNothing) {
  const auto state =
      provider->authorize(svc.begin(std::nullopt, k_browser, {LoginPurpose::sign_in, 0}));
  const auto r = svc.callback({state, "the-code", "", k_browser, std::nullopt});
  ASSERT_EQ(r.outcome, Outcome::refused);
  EXPECT_EQ(r.refusal->status, 404);
  EXPECT_EQ(r.refusal->heading, "No account here is linked to it");
  EXPECT_EQ(accounts(), 0u);
}

TEST_F(OidcServiceTest, MembersCannotUnlinkTheirOnlyWayToSignIn) {
  const auto r = sign_in();
  const auto ada = svc.register_account({r.ticket, "ada", "", true}).sign_up.user;
  ASSERT_TRUE(ada);
  EXPECT_EQ(test::kind_of([&] { svc.unlink_own(*ada); }), ErrorKind::conflict);
  EXPECT_EQ(svc.identities(ada->id).size(), 1u);
  users::UserService(t.env).reset_password("ada", std::string("a-password-now"));
  EXPECT_EQ(svc.unlink_own(*ada).size(), 1u);
}

TEST_F(OidcServiceTest, TestReportsTheProviderAndNeverTheSecret) {
  const auto report = svc.test();
  EXPECT_EQ(report["issuer"], k_issuer);
  EXPECT_EQ(report["keys"].size(), 1u);
  EXPECT_EQ(report.dump().find("s3cret"), std::string::npos);
  provider->discovery["issuer"] = "https://other.example";
  EXPECT_EQ(test::kind_of([&] { svc.test(); }), ErrorKind::invalid_data);
  provider->down = true;
  EXPECT_EQ(test::kind_of([&] { svc.test(); }), ErrorKind::remote);
}

TEST(OidcDiscovery, MalformedDocumentsAreInvalidData) {
  const Json good{{"issuer", k_issuer},
                  {"authorization_endpoint", "https://id.partner.example/auth"},
                  {"token_endpoint", "https://id.partner.example/token"},
                  {"jwks_uri", "https://id.partner.example/jwks"},
                  {"id_token_signing_alg_values_supported", Json::array({"RS256"})}};
  EXPECT_EQ(parse_discovery(good.dump(), k_issuer).token_endpoint,
            "https://id.partner.example/token");
  EXPECT_EQ(parse_discovery(good.dump(), std::string(k_issuer) + "/").issuer, k_issuer);
  for (const auto& [field, value] : std::vector<std::pair<std::string, Json>>{
           {"issuer", "https://evil.example"},
           {"token_endpoint", nullptr},
           {"jwks_uri", "ftp://id.partner.example/jwks"},
           {"id_token_signing_alg_values_supported", Json::array({"HS256"})},
           {"code_challenge_methods_supported", Json::array({"plain"})}}) {
    Json bad = good;
    if (value.is_null())
      bad.erase(field);
    else
      bad[field] = value;
    EXPECT_EQ(test::kind_of([&] { parse_discovery(bad.dump(), k_issuer); }),
              ErrorKind::invalid_data)
        << field;
  }
  EXPECT_EQ(test::kind_of([&] { parse_discovery("<html>", k_issuer); }), ErrorKind::invalid_data);
}

TEST(PartnerRegistration, InviteModeLetsPartnersInAndTheOtherModesStillDecide) {
  using users::Channel;
  using users::RegistrationMode;
  using users::WithInvite;
  EXPECT_FALSE(
      users::decide_registration(RegistrationMode::invite, Channel::partner, WithInvite::no)
          .pending);
  EXPECT_TRUE(
      users::decide_registration(RegistrationMode::approval, Channel::partner, WithInvite::no)
          .pending);
  EXPECT_FALSE(
      users::decide_registration(RegistrationMode::approval, Channel::partner, WithInvite::yes)
          .pending);
  EXPECT_FALSE(
      users::decide_registration(RegistrationMode::open, Channel::partner, WithInvite::no).pending);
  EXPECT_EQ(test::kind_of([] {
              users::decide_registration(RegistrationMode::closed, Channel::partner,
                                         WithInvite::no);
            }),
            ErrorKind::policy);
  EXPECT_EQ(test::kind_of([] {
              users::decide_registration(RegistrationMode::invite, Channel::sign_up,
                                         WithInvite::no);
            }),
            ErrorKind::policy);
}

TEST(OidcStateStore, AStateIsClaimedOnceAndOnlyBeforeItExpires) {
  test::TestInstance t;
  OidcStore store(t.env.db);
  PendingLogin l;
  l.state_hash = "h1";
  l.browser_hash = "b";
  l.nonce = "n";
  l.code_verifier = "v";
  l.created_at = test::k_test_now;
  l.expires_at = test::k_test_now + 600;
  store.insert_login(l);
  l.state_hash = "h2";
  store.insert_login(l);
  const auto first = store.claim_login("h1", test::k_test_now);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->code_verifier, "v");
  EXPECT_FALSE(store.claim_login("h1", test::k_test_now));
  EXPECT_FALSE(store.claim_login("h2", test::k_test_now + 600));
  EXPECT_FALSE(store.claim_login("nope", test::k_test_now));
  store.prune(test::k_test_now + 601);
  auto st = t.env.db.prepare("SELECT count(*) FROM oidc_logins");
  st->step();
  EXPECT_EQ(st->get_int(0), 0);
}

}  // namespace

}  // namespace instctl::auth
