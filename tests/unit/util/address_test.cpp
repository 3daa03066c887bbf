// The one DNS-name and email-address rule (util/address.hpp).

#include "instctl/util/address.hpp"

#include <gtest/gtest.h>

namespace instctl::util {
namespace {

TEST(DnsName, AcceptsHostNames) {
  for (const char* ok : {"a", "example.com", "xn--bcher-kva.example", "a-b.c0", "1.example"}) {
    EXPECT_TRUE(is_dns_name(ok)) << ok;
  }
  EXPECT_TRUE(is_dns_name("a_b.example", Underscores::allowed));
  EXPECT_FALSE(is_dns_name("a_b.example"));
  EXPECT_TRUE(is_dns_name(std::string(63, 'a') + ".example"));
}

TEST(DnsName, RefusesWhatIsNoHostName) {
  for (const std::string& bad :
       {std::string(), std::string("."), std::string("a..b"), std::string(".a"), std::string("a."),
        std::string("-a.example"), std::string("a-.example"), std::string("Example.com"),
        std::string("a b"), std::string("a%2eb"),
        std::string("b\xc3\xbc"
                    "cher.example"),
        std::string("a:80"), std::string("[::1]"), std::string("a/b"), std::string("a@b"),
        std::string(64, 'a') + ".example",
        std::string(250, 'a').insert(100, ".").insert(200, ".") + ".example"}) {
    EXPECT_FALSE(is_dns_name(bad)) << bad;
    EXPECT_FALSE(is_dns_name(bad, Underscores::allowed)) << bad;
  }
}

TEST(EmailAddress, AcceptsAddresses) {
  for (const char* ok : {"ann@example.com", "Ann.Lee+tag@Example.COM",
                         "a!#$%&'*+-/=?^_`{|}~@x.example", "x@xn--bcher-kva.example"}) {
    EXPECT_FALSE(email_problem(ok)) << ok;
  }
  // An operator's own address may be on a local host; an account's may not.
  EXPECT_TRUE(email_problem("mods@localhost"));
  EXPECT_FALSE(email_problem("mods@localhost", EmailDomain::any_host));
}

TEST(EmailAddress, NamesTheProblem) {
  EXPECT_EQ(*email_problem(""), "the email address is empty");
  EXPECT_EQ(*email_problem("ann.example.com"), "'ann.example.com' is not an email address (no @)");
  EXPECT_EQ(*email_problem("@example.com"),
            "'@example.com' is not an email address (bad part before @)");
  EXPECT_EQ(*email_problem(".a@example.com"),
            "'.a@example.com' is not an email address (misplaced dot)");
  EXPECT_EQ(*email_problem("a@localhost"),
            "'a@localhost' is not an email address (the domain has no dot)");
  EXPECT_EQ(*email_problem("a@-x.example"), "'a@-x.example' is not an email address (bad domain)");
  EXPECT_EQ(*email_problem(std::string(65, 'a') + "@x.example"),
            "'" + std::string(65, 'a') + "@x.example' is not an email address (bad part before @)");
  EXPECT_EQ(*email_problem(std::string(250, 'a') + "@x.example"),
            "the email address is longer than 254 characters");
}

TEST(EmailAddress, RefusesHostileForms) {
  for (const std::string& bad :
       {std::string("a b@x.example"), std::string("a@b@x.example"), std::string("\"a\"@x.example"),
        std::string("a@x.example\r\nBcc: b@y.example"), std::string("a@[127.0.0.1]"),
        std::string("a@x..example"), std::string("a..b@x.example"), std::string("a.@x.example"),
        std::string("<a@x.example>"), std::string("a@x.example,b@y.example"),
        std::string("\xc3\xa4@x.example"), std::string("a@x_y.example"), std::string("a@"),
        std::string("a\0b@x.example", 13)}) {
    EXPECT_TRUE(email_problem(bad)) << bad;
    EXPECT_TRUE(email_problem(bad, EmailDomain::any_host)) << bad;
  }
}

}  // namespace
}  // namespace instctl::util
