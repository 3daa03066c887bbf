// util::parse_url, the one reading of an http(s) URL: what it keeps, and the hostile forms it
// refuses so that the domain policy, the address guard and libcurl cannot disagree on a host.

#include <gtest/gtest.h>

#include "instctl/util/url.hpp"

namespace instctl::util {
namespace {

TEST(UrlParse, SplitsAndNormalises) {
  auto u = parse_url("HTTPS://Social.Example/users/a?x=1#frag");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "social.example");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/users/a?x=1");
  EXPECT_EQ(u->origin(), "https://social.example");
  EXPECT_EQ(u->to_string(), "https://social.example/users/a?x=1");
  u = parse_url("http://a.example:8080?q");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->target, "/?q");
  EXPECT_EQ(u->host_header(), "a.example:8080");
  EXPECT_EQ(parse_url("https://a.example:443/")->host_header(), "a.example");
  EXPECT_EQ(parse_url("http://a.example:/")->port, 80);  // an empty port is the default
  EXPECT_EQ(parse_url("https://a_b.example/")->host, "a_b.example");
  EXPECT_EQ(parse_url("https://a.example/a/../b")->target, "/a/../b");  // as the signer signs it
  EXPECT_EQ(parse_url("https://a.example/a\\b")->target, "/a\\b");
  // The fragment is never sent: what it holds does not matter (an actor's #main-key, or text
  // made to forge a log line, which the inbox then refuses naming it, escaped).
  EXPECT_EQ(parse_url("https://a.example/u#x y\r\n")->to_string(), "https://a.example/u");
}

TEST(UrlParse, DropsOneTrailingDotOfTheHost) {
  // "blocked.example." is blocked.example to DNS: the domain policy must see the same name.
  EXPECT_EQ(parse_url("https://Blocked.Example./x")->host, "blocked.example");
  EXPECT_EQ(parse_url("https://blocked.example.:8443/x")->host_header(), "blocked.example:8443");
  EXPECT_FALSE(parse_url("https://blocked.example../x"));
  EXPECT_FALSE(parse_url("https://./x"));
}

TEST(UrlParse, ReadsIpv6Literals) {
  auto u = parse_url("http://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header(), "[::1]:8080");
  EXPECT_EQ(parse_url("https://[2001:DB8::1]/")->host, "2001:db8::1");
  EXPECT_EQ(parse_url("http://[::ffff:10.0.0.1]/")->host, "::ffff:10.0.0.1");
  EXPECT_EQ(parse_url("https://[::1]/")->to_string(), "https://[::1]/");
}

TEST(UrlParse, ReadsIpv4OnlyAsADottedQuad) {
  EXPECT_EQ(parse_url("http://127.0.0.1:80/")->host, "127.0.0.1");
  EXPECT_EQ(parse_url("http://10.0.0.1./")->host, "10.0.0.1");
  // getaddrinfo reads each of these as an IPv4 address no domain rule names.
  for (const char* bad :
       {"http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0x7f000001/",
        "http://0177.0.0.1/", "http://1.2.3.4.5/", "http://256.0.0.1/"}) {
    EXPECT_FALSE(parse_url(bad)) << bad;
  }
  EXPECT_TRUE(parse_url("http://1.example/"));  // a name whose last label is not a number
}

TEST(UrlParse, RefusesHostileForms) {
  using namespace std::string_literals;
  for (const std::string& bad :
       {"ftp://x/"s, "https:///x"s, "https:/x.example/"s, "//x.example/"s, "x.example"s, ""s,
        "javascript://x.example/"s, "httpx://x.example/"s,
        // userinfo, with and without the tricks that make parsers disagree on the host
        "https://user@good.example/"s, "https://user:pw@good.example/"s,
        "https://evil.example\\@good.example/"s, "https://good.example\\.evil.example/"s,
        "https://evil.example%40good.example/"s, "https://a@b@c/"s,
        // percent-encoded, non-ASCII and control characters in the host
        "https://a%2eb/"s, "https://%65vil.example/"s,
        "https://b\xc3\xbc"
        "cher.example/"s,
        "https://blocked.example\0.x/users/a"s, "https://\x7f/"s,
        // spaces and controls anywhere
        "https://a b/"s, "https://a.example/a b"s, "http://a\r\nHost: x/"s, "https://a.example/\t"s,
        " https://a.example/"s,
        // ports
        "https://a:99999/"s, "https://a:0/"s, "https://a:65536/"s, "https://a:-1/"s,
        "https://a:+80/"s, "https://a:8o/"s, "https://a:000000443/"s, "http://a:b:80/"s,
        // IPv6 literals
        "http://[::1/"s, "http://[::1]x/"s, "http://[g::1]/"s, "http://[::1%eth0]/"s,
        "http://[::1%25eth0]/"s, "http://[]/"s, "http://[127.0.0.1]/"s, "http://_x[::1]:80/"s,
        "http://::1/"s}) {
    EXPECT_FALSE(parse_url(bad)) << bad;
  }
}

TEST(UrlParse, RebuildsWhatItRead) {
  for (const char* text :
       {"https://a.example/x?y=1", "http://[::1]:8080/", "https://b.example:8443/p"}) {
    const auto u = parse_url(text);
    ASSERT_TRUE(u) << text;
    const auto again = parse_url(u->to_string());
    ASSERT_TRUE(again) << text;
    EXPECT_EQ(again->to_string(), u->to_string());
    EXPECT_EQ(u->to_string(), text);
  }
}

}  // namespace
}  // namespace instctl::util
