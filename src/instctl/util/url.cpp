#include "instctl/util/url.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "instctl/util/strings.hpp"

namespace instctl::util {

namespace {

// A host as DNS and the address parsers read it: a name or IPv4 address (letters, digits,
// '-', '_', '.', no empty label), or an IPv6 address. Anything else, a NUL above all, would be
// read one way by the domain policy and another by getaddrinfo and curl, which stop at the
// first NUL.
bool is_name_host(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
  });
}

// A host whose last label is a number is an IPv4 address to getaddrinfo, which also reads
// "127.1", "0x7f.0.0.1" and "2130706433" as 127.0.0.1: only the dotted quad a domain rule can
// name is let through.
bool is_numeric_host_ok(std::string_view host) {
  const auto last = host.substr(host.rfind('.') + 1);
  const bool numeric =
      last.starts_with("0x") ||
      (!last.empty() && last.find_first_not_of("0123456789") == std::string_view::npos);
  if (!numeric) return true;
  unsigned char buf[4];
  return inet_pton(AF_INET, std::string(host).c_str(), buf) == 1;
}

bool is_ipv6(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::optional<int> parse_port(std::string_view text, int fallback) {
  if (text.empty()) return fallback;
  if (text.size() > 5 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const int port = std::stoi(std::string(text));
  if (port <= 0 || port > 65535) return std::nullopt;
  return port;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string UrlParts::host_header() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? h : h + ":" + std::to_string(port);
}

std::string UrlParts::origin() const { return scheme + "://" + host_header(); }

std::string UrlParts::to_string() const { return origin() + target; }

std::optional<UrlParts> parse_url(std::string_view url) {
  // No controls or spaces before the fragment (which is dropped, never sent): libcurl would
  // refuse them, or send them on.
  const auto sent = url.substr(0, url.find('#'));
  if (std::any_of(sent.begin(), sent.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return std::nullopt;
  }
  return parse_url_naming_host(url);
}

std::optional<UrlParts> parse_url_naming_host(std::string_view url) {
  UrlParts p;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  p.scheme = to_lower(url.substr(0, sep));
  if (p.scheme != "https" && p.scheme != "http") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  const auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  if (const auto hash = target.find('#'); hash != std::string_view::npos)
    target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no userinfo
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    p.host = to_lower(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
    if (!is_ipv6(p.host)) return std::nullopt;
  } else {
    const auto colon = authority.rfind(':');
    p.host = to_lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (!p.host.empty() && p.host.back() == '.') p.host.pop_back();
    if (!is_name_host(p.host) || !is_numeric_host_ok(p.host)) return std::nullopt;
  }
  const auto port = parse_port(port_text, p.scheme == "https" ? 443 : 80);
  if (!port) return std::nullopt;
  p.port = *port;
  p.target = target.empty() ? "/" : std::string(target);
  if (p.target.front() == '?') p.target = "/" + p.target;
  return p;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = percent_decode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

}  // namespace instctl::util
