#include "instctl/util/ip_range.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace instctl::util {

namespace {

struct V4Range {
  std::uint32_t base;
  int bits;
};

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
         (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

// IANA special-purpose ranges that are not globally reachable, plus multicast.
constexpr std::array<V4Range, 15> k_v4_restricted = {{
    {v4(0, 0, 0, 0), 8},
    {v4(10, 0, 0, 0), 8},
    {v4(100, 64, 0, 0), 10},
    {v4(127, 0, 0, 0), 8},
    {v4(169, 254, 0, 0), 16},
    {v4(172, 16, 0, 0), 12},
    {v4(192, 0, 0, 0), 24},
    {v4(192, 0, 2, 0), 24},
    {v4(192, 88, 99, 0), 24},
    {v4(192, 168, 0, 0), 16},
    {v4(198, 18, 0, 0), 15},
    {v4(198, 51, 100, 0), 24},
    {v4(203, 0, 113, 0), 24},
    {v4(224, 0, 0, 0), 4},
    {v4(240, 0, 0, 0), 4},
}};

bool v4_restricted(std::uint32_t a) {
  for (const auto& r : k_v4_restricted) {
    const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
    if ((a & mask) == r.base) return true;
  }
  return false;
}

std::uint32_t v4_at(const unsigned char* b) {
  return (static_cast<std::uint32_t>(b[0]) << 24) | (static_cast<std::uint32_t>(b[1]) << 16) |
         (static_cast<std::uint32_t>(b[2]) << 8) | static_cast<std::uint32_t>(b[3]);
}

bool v6_restricted(const unsigned char* b) {
  static const unsigned char zero[16] = {};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  if (std::memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
    return v4_restricted(v4_at(b + 12));  // ::ffff:a.b.c.d
  }
  if (std::memcmp(b, zero, 12) == 0) return true;  // deprecated IPv4-compatible ::a.b.c.d
  static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
  if (std::memcmp(b, nat64, 12) == 0) return v4_restricted(v4_at(b + 12));        // 64:ff9b::/96
  if (b[0] == 0x20 && b[1] == 0x02) return v4_restricted(v4_at(b + 2));           // 6to4 2002::/16
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // 2001:db8::/32
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return true;  // Teredo
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, zero, 6) == 0) return true;  // 100::/64
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if (b[0] == 0xff) return true;                           // multicast
  return false;
}

}  // namespace

bool is_restricted_address(std::string_view address) {
  const std::string a(address);
  unsigned char buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return v4_restricted(v4_at(buf));
  if (inet_pton(AF_INET6, a.c_str(), buf) == 1) return v6_restricted(buf);
  return true;  // not an address at all: never let it through
}

bool is_loopback_address(std::string_view address) {
  const std::string a(address);
  unsigned char buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return buf[0] == 127;
  if (inet_pton(AF_INET6, a.c_str(), buf) != 1) return false;
  static const unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(buf, loopback6, 16) == 0 ||
         (std::memcmp(buf, mapped, 12) == 0 && buf[12] == 127);
}

}  // namespace instctl::util
