// Which addresses outbound requests may reach, and URL parsing for the client and the signer.

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "instctl/net/http_client.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::net {

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
    {v4(0, 0, 0, 0), 8},       {v4(10, 0, 0, 0), 8},     {v4(100, 64, 0, 0), 10},
    {v4(127, 0, 0, 0), 8},     {v4(169, 254, 0, 0), 16}, {v4(172, 16, 0, 0), 12},
    {v4(192, 0, 0, 0), 24},    {v4(192, 0, 2, 0), 24},   {v4(192, 88, 99, 0), 24},
    {v4(192, 168, 0, 0), 16},  {v4(198, 18, 0, 0), 15},  {v4(198, 51, 100, 0), 24},
    {v4(203, 0, 113, 0), 24},  {v4(224, 0, 0, 0), 4},    {v4(240, 0, 0, 0), 4},
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
  if (std::memcmp(b, nat64, 12) == 0) return v4_restricted(v4_at(b + 12));  // 64:ff9b::/96
  if (b[0] == 0x20 && b[1] == 0x02) return v4_restricted(v4_at(b + 2));     // 6to4 2002::/16
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

std::string UrlParts::host_header() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? h : h + ":" + std::to_string(port);
}

namespace {

// A host as DNS and the address parsers read it: a name or IPv4 address (letters, digits,
// '-', '.', '_'), or an IPv6 address (hex digits, ':', '.'). Anything else, a NUL above all,
// would be read one way by the domain policy and another by getaddrinfo and curl, which stop
// at the first NUL.
bool is_host(std::string_view host, bool bracketed) {
  if (host.empty()) return false;
  for (const char c : host) {
    const bool digit = c >= '0' && c <= '9';
    const bool ok = bracketed ? digit || (c >= 'a' && c <= 'f') || c == ':' || c == '.'
                              : digit || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<UrlParts> parse_url(std::string_view url) {
  UrlParts p;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  p.scheme = util::to_lower(url.substr(0, sep));
  if (p.scheme != "https" && p.scheme != "http") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  const auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  if (const auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no userinfo
  std::string_view port_text;
  const bool bracketed = !authority.empty() && authority.front() == '[';
  if (bracketed) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    p.host = util::to_lower(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    p.host = util::to_lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (!is_host(p.host, bracketed)) return std::nullopt;
  if (!port_text.empty()) {
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    p.port = std::stoi(std::string(port_text));
    if (p.port <= 0 || p.port > 65535) return std::nullopt;
  } else {
    p.port = p.scheme == "https" ? 443 : 80;
  }
  p.target = target.empty() ? "/" : std::string(target);
  if (p.target.front() == '?') p.target = "/" + p.target;
  return p;
}

}  // namespace instctl::net
