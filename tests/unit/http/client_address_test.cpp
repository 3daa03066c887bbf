// The client address behind a reverse proxy: a loopback peer's X-Forwarded-For is believed
// (its last entry), and so is that of a proxy on another machine named as trusted; anyone
// else's is not.

#include "instctl/http/client_address.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"

namespace instctl::http {
namespace {

Request from(std::string remote, std::vector<std::string> forwarded = {}) {
  Request r;
  r.remote = std::move(remote);
  for (auto& f : forwarded) r.headers.emplace_back("x-forwarded-for", std::move(f));
  return r;
}

}  // namespace

TEST(ClientAddress, ADirectClientIsItsPeerAddress) {
  EXPECT_EQ(client_address(from("203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(client_address(from("127.0.0.1")), "127.0.0.1");
}

TEST(ClientAddress, ALocalProxyNamesTheClientInTheLastForwardedEntry) {
  EXPECT_EQ(client_address(from("127.0.0.1", {"198.51.100.4"})), "198.51.100.4");
  EXPECT_EQ(client_address(from("::1", {"2001:db8::5"})), "2001:db8::5");
  EXPECT_EQ(client_address(from("::ffff:127.0.0.1", {"198.51.100.4"})), "198.51.100.4");
  // The client may send its own X-Forwarded-For; the proxy appends the address it saw.
  EXPECT_EQ(client_address(from("127.0.0.1", {"10.9.9.9, 6.6.6.6,198.51.100.4"})), "198.51.100.4");
  EXPECT_EQ(client_address(from("127.0.0.1", {"10.9.9.9", "198.51.100.4"})), "198.51.100.4")
      << "the last header";
}

TEST(ClientAddress, ARemotePeerCannotClaimAnotherAddress) {
  EXPECT_EQ(client_address(from("203.0.113.7", {"198.51.100.4"})), "203.0.113.7");
}

TEST(ClientAddress, AnEntryThatIsNoAddressIsIgnored) {
  EXPECT_EQ(client_address(from("127.0.0.1", {"unknown"})), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {"198.51.100.4, "})), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {"198.51.100.4:5555"})), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {""})), "127.0.0.1");
}

namespace {
TrustedProxies trusting(std::initializer_list<std::string_view> networks) {
  TrustedProxies p;
  for (auto n : networks) p.add(n);
  return p;
}
}  // namespace

TEST(ClientAddress, AProxyOnAnotherMachineIsBelievedOnlyWhenTrusted) {
  const auto lb = trusting({"10.0.0.5", "192.168.1.0/24", "fd00:1::/64"});
  EXPECT_EQ(client_address(from("10.0.0.5", {"198.51.100.4"}), lb), "198.51.100.4");
  EXPECT_EQ(client_address(from("192.168.1.77", {"198.51.100.4"}), lb), "198.51.100.4");
  EXPECT_EQ(client_address(from("::ffff:10.0.0.5", {"198.51.100.4"}), lb), "198.51.100.4");
  EXPECT_EQ(client_address(from("fd00:1::9", {"2001:db8::5"}), lb), "2001:db8::5");
  EXPECT_EQ(client_address(from("10.0.0.6", {"198.51.100.4"}), lb), "10.0.0.6");
  EXPECT_EQ(client_address(from("192.168.2.1", {"198.51.100.4"}), lb), "192.168.2.1");
  EXPECT_EQ(client_address(from("fd00:2::9", {"2001:db8::5"}), lb), "fd00:2::9");
  EXPECT_EQ(client_address(from("127.0.0.1", {"198.51.100.4"}), lb), "198.51.100.4")
      << "loopback stays trusted";
  EXPECT_EQ(client_address(from("10.0.0.5", {"198.51.100.4"}), TrustedProxies{}), "10.0.0.5")
      << "no proxy on another machine is trusted by default";
}

TEST(ClientAddress, ATrustedProxyIsAnAddressOrANetwork) {
  for (const char* bad : {"", "proxy.example", "10.0.0.0/", "10.0.0.0/33", "fd00::/129",
                          "10.0.0.0/x", "10.0.0.0/24/1", "10.0.0.0/0024"}) {
    TrustedProxies p;
    EXPECT_THROW(p.add(bad), Error) << bad;
  }
  EXPECT_NO_THROW(trusting({"0.0.0.0/0", "::/0", "10.1.2.3/8"}));
  EXPECT_TRUE(trusting({"10.1.2.3/8"}).trusts("10.200.0.1")) << "host bits are ignored";
}

// Limits count an IPv6 client per /64: one subscriber holds the whole prefix.
TEST(ClientAddress, LimitsCountIpv6ClientsPerSlash64) {
  EXPECT_EQ(client_key("2001:db8:1:2::5"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64")
      << "every address of the /64 is the same client";
  EXPECT_NE(client_key("2001:db8:1:3::5"), client_key("2001:db8:1:2::5"))
      << "the next /64 is another client";
  EXPECT_EQ(client_key("::1"), "::/64");
  EXPECT_EQ(client_key("198.51.100.4"), "198.51.100.4") << "IPv4 addresses count alone";
  EXPECT_NE(client_key("198.51.100.5"), client_key("198.51.100.4"));
  EXPECT_EQ(client_key("::ffff:198.51.100.4"), "198.51.100.4") << "an IPv4-mapped address is IPv4";
  EXPECT_EQ(client_key("not-an-address"), "not-an-address");
}

}  // namespace instctl::http
