#pragma once

// The address a request came from, for per-client limits and the access log. Behind a reverse
// proxy on the same machine every connection comes from loopback, so a loopback peer's
// X-Forwarded-For is believed: its last entry is the address the proxy itself saw (nginx's
// $proxy_add_x_forwarded_for and Caddy append it; earlier entries come from the client and
// may be forged). Any other peer is the client itself, whatever it claims.

#include <string>

#include "instctl/http/message.hpp"

namespace instctl::http {

std::string client_address(const Request& req);

}  // namespace instctl::http
