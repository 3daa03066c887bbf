#pragma once

// The address a request came from, for per-client limits and the access log. Behind a reverse
// proxy every connection comes from the proxy, so a trusted proxy's X-Forwarded-For is
// believed: its last entry is the address the proxy itself saw (nginx's
// $proxy_add_x_forwarded_for and Caddy append it; earlier entries come from the client and
// may be forged). Loopback is always trusted (a proxy on the same machine); proxies on other
// machines are trusted when named (serve --trusted-proxy). Any other peer is the client
// itself, whatever it claims.

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

class TrustedProxies {
 public:
  // ADDRESS or ADDRESS/PREFIX, IPv4 or IPv6 (10.0.0.5, 10.0.0.0/24, fd00::/64); throws
  // Error(usage) naming the value otherwise.
  void add(std::string_view network);
  // Whether a connection from `peer` (an address as the server saw it) is a trusted proxy.
  bool trusts(std::string_view peer) const;

 private:
  std::vector<boost::asio::ip::network_v4> m_v4;
  std::vector<boost::asio::ip::network_v6> m_v6;
};

// The proxies this process trusts besides loopback: set once at start-up, before the server's
// threads exist (serve --trusted-proxy); none by default.
void trust_proxies(TrustedProxies proxies);

std::string client_address(const Request& req, const TrustedProxies& proxies);

// What per-client limits count (rate limits, connections per client): an IPv4 address as it
// is, an IPv6 address as its /64 ("2001:db8:1:2::/64"), since one subscriber commonly holds a
// whole /64; an IPv4-mapped IPv6 address as the IPv4 address. Text that is not an address is
// returned unchanged.
std::string client_key(std::string_view address);
// With the proxies set by trust_proxies.
std::string client_address(const Request& req);
// Whether the request's client (client_address) is this machine or a trusted proxy itself:
// what may read GET /metrics when server.metrics is local.
bool from_trusted_address(const Request& req);

}  // namespace instctl::http
