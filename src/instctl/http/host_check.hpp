#pragma once

// Which Host a request may name. RFC 9112 3.2: an HTTP/1.1 request without Host, or with
// more than one, is answered 400. A Host that is none of the instance's own names is answered
// 421 Misdirected Request: signatures cover Host, so a proxy that does not pass the public
// name on would otherwise fail every signed request in a way that is hard to trace. The
// authority of an absolute-form target stands for the Host (net/http_framing.hpp), and is
// checked the same.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

struct HostNames {
  std::string domain;  // the web domain (host[:port])
  // The handle domain: a proxy on it passes WebFinger and host-meta on with its own Host.
  std::string account_domain;
  std::string public_url;  // https://host[:port]
  // The address serve listens on (host:port); with an unspecified address (0.0.0.0, ::),
  // any host on that port.
  std::string listen_host;
  std::uint16_t listen_port = 0;
};

// The part of check_host that needs no database: a 400 for a request with two Hosts, or an
// HTTP/1.1 request with none. Checked before the response cache is consulted, whose entries
// are keyed by the Host (so the rest of the check holds for a cached answer's Host).
std::optional<Response> check_host_field(const Request& req);

// The answer for a request whose Host is wrong; none when it may go on. /health and
// /health/ready answer any Host (load balancers and monitors call them by address).
std::optional<Response> check_host(const Request& req, const HostNames& names);

}  // namespace instctl::http
