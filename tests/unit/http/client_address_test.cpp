// The client address behind a local reverse proxy: a loopback peer's X-Forwarded-For is
// believed (its last entry), anyone else's is not.

#include "instctl/http/client_address.hpp"

#include <gtest/gtest.h>

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

}  // namespace instctl::http
