#include "instctl/util/ip_range.hpp"

#include <gtest/gtest.h>

namespace instctl::util {
namespace {

TEST(IpRange, RestrictsWhatIsNotOnThePublicInternet) {
  for (const char* a :
       {"127.0.0.1",       "127.255.0.9",     "10.1.2.3",       "172.16.0.1",    "172.31.255.255",
        "192.168.1.1",     "169.254.169.254", "100.64.0.1",     "0.0.0.0",       "224.0.0.1",
        "255.255.255.255", "192.0.2.1",       "198.18.0.1",     "::1",           "::",
        "fe80::1",         "fc00::1",         "fd12::1",        "ff02::1",       "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::127.0.0.1",     "64:ff9b::a00:1", "2002:7f00:1::", "2001:db8::1",
        "2001::1",         "100::1",          "fec0::1"}) {
    EXPECT_TRUE(is_restricted_address(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1",
                        "2a00:1450::1", "::ffff:8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"}) {
    EXPECT_FALSE(is_restricted_address(a)) << a;
  }
}

TEST(IpRange, RestrictsWhatIsNoAddress) {
  // Only numeric addresses are judged; the forms getaddrinfo would also read as 127.0.0.1
  // are no address here, so restricted.
  for (const char* a : {"nonsense", "", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "[::1]",
                        "::1%lo", " 8.8.8.8", "8.8.8.8 "}) {
    EXPECT_TRUE(is_restricted_address(a)) << a;
  }
}

TEST(IpRange, Loopback) {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_address(a)) << a;
  }
  for (const char* a : {"128.0.0.1", "10.0.0.1", "::2", "localhost", "127.1", "", "127.0.0.1."}) {
    EXPECT_FALSE(is_loopback_address(a)) << a;
  }
}

}  // namespace
}  // namespace instctl::util
