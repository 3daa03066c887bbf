// Host checks: one Host, and one of the instance's own names.

#include "instctl/http/host_check.hpp"

#include <gtest/gtest.h>

namespace instctl::http {
namespace {

Request with_hosts(std::vector<std::string> hosts, std::string path = "/users/alice") {
  Request r;
  r.method = "GET";
  r.set_target(std::move(path));
  for (auto& h : hosts) r.headers.emplace_back("host", std::move(h));
  return r;
}

const HostNames k_names{"social.example", "social.example", "https://social.example", "127.0.0.1",
                        8080};

int status_of(const Request& r, const HostNames& n = k_names) {
  const auto refused = check_host(r, n);
  return refused ? refused->status : 0;
}

}  // namespace

TEST(HostCheck, TheInstanceItsPublicUrlAndTheListenAddressAreAnswered) {
  EXPECT_EQ(status_of(with_hosts({"social.example"})), 0);
  EXPECT_EQ(status_of(with_hosts({"Social.Example"})), 0) << "case does not matter";
  EXPECT_EQ(status_of(with_hosts({"social.example:443"})), 0) << "the URL's default port";
  EXPECT_EQ(status_of(with_hosts({"127.0.0.1:8080"})), 0) << "a direct hit on the listen address";
  const HostNames split{"social.example.com:8443", "example.com", "https://social.example.com:8443",
                        "::", 8080};
  EXPECT_EQ(status_of(with_hosts({"social.example.com:8443"}), split), 0)
      << "the public URL's host";
  EXPECT_EQ(status_of(with_hosts({"example.com"}, "/.well-known/webfinger"), split), 0)
      << "the account domain, whose proxy passes WebFinger on";
  EXPECT_EQ(status_of(with_hosts({"example.com.evil"}), split), 421);
  EXPECT_EQ(status_of(with_hosts({"10.1.2.3:8080"}), split), 0)
      << "any address when listening on all";
  EXPECT_EQ(status_of(with_hosts({"10.1.2.3:9090"}), split), 421);
}

TEST(HostCheck, OtherHostsAreMisdirected) {
  EXPECT_EQ(status_of(with_hosts({"evil.example"})), 421);
  EXPECT_EQ(status_of(with_hosts({"social.example.evil"})), 421);
  EXPECT_EQ(status_of(with_hosts({"127.0.0.1:9999"})), 421);
  EXPECT_EQ(status_of(with_hosts({"social.example:8443"})), 421);
  EXPECT_EQ(status_of(with_hosts({"evil.example"}, "/health")), 0) << "health answers any Host";
}

TEST(HostCheck, MissingOrRepeatedHostIsABadRequest) {
  EXPECT_EQ(status_of(with_hosts({})), 400);
  EXPECT_EQ(status_of(with_hosts({""})), 400);
  EXPECT_EQ(status_of(with_hosts({"social.example", "social.example"})), 400);
  EXPECT_EQ(status_of(with_hosts({"social.example", "evil.example"}, "/health")), 400);
  Request old = with_hosts({});
  old.http_1_0 = true;
  EXPECT_EQ(status_of(old), 0) << "HTTP/1.0 has no Host";
}

}  // namespace instctl::http
