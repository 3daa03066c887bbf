// Which domain is which: the web domain follows the public URL, handles the account domain.

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/settings.hpp"
#include "test_support.hpp"

namespace instctl::instance {

TEST(Domains, UrlAuthorityDropsTheDefaultPortAndThePath) {
  EXPECT_EQ(url_authority("https://Social.Example:443/sub/"), "social.example");
  EXPECT_EQ(url_authority("http://localhost:80"), "localhost");
  EXPECT_EQ(url_authority("http://127.0.0.1:8080"), "127.0.0.1:8080");
  EXPECT_EQ(url_authority("https://social.example:80"), "social.example:80");
}

TEST(Domains, AccountDomainFollowsTheWebDomainUnlessSetApart) {
  InstanceInfo info;
  info.public_url = "https://social.example.com";
  settle_domains(info);
  EXPECT_EQ(info.domain, "social.example.com");
  EXPECT_EQ(info.account_domain, "social.example.com");
  info.separate_account_domain = "example.com";
  info.public_url = "http://127.0.0.1:9000";
  settle_domains(info);
  EXPECT_EQ(info.domain, "127.0.0.1:9000");
  EXPECT_EQ(info.account_domain, "example.com");
}

TEST(Domains, HandlesUseTheAccountDomain) {
  InstanceInfo info;
  info.public_url = "https://social.example.com";
  info.separate_account_domain = "short.example";
  settle_domains(info);
  EXPECT_EQ(handle(info, "ada"), "@ada@short.example");
  EXPECT_EQ(handle_list(info, {}), "");
  EXPECT_EQ(handle_list(info, {"ada"}), "@ada@short.example");
  EXPECT_EQ(handle_list(info, {"ada", "bo", "cy"}),
            "@ada@short.example, @bo@short.example and @cy@short.example");
}

TEST(Domains, InitTakesTheWebDomainFromThePublicUrl) {
  test::TestInstance inst(false);
  InitOptions o;
  o.account_domain = "Short.Example";
  o.public_url = "https://social.example.com/";
  const auto info = initialize(inst.env, o);
  EXPECT_EQ(info.domain, "social.example.com");
  EXPECT_EQ(info.account_domain, "short.example");
  EXPECT_EQ(info.public_url, "https://social.example.com");
  // A later public URL moves the web domain; the handles stay on the account domain.
  Settings(inst.env.db).set(inst.env, "server.public_url", "https://web.example.com");
  const auto moved = load(inst.env.db);
  EXPECT_EQ(moved.domain, "web.example.com");
  EXPECT_EQ(moved.account_domain, "short.example");
}

TEST(Domains, InitRefusesADomainThatIsNotThePublicUrlsHost) {
  test::TestInstance inst(false);
  InitOptions o;
  EXPECT_THROW(initialize(inst.env, o), Error) << "neither --domain nor --public-url";
  o.domain = "social.example";
  o.public_url = "https://other.example";
  EXPECT_THROW(initialize(inst.env, o), Error);
  o.public_url = "https://social.example:443";
  EXPECT_EQ(initialize(inst.env, o).account_domain, "social.example");
}

}  // namespace instctl::instance
