#pragma once

// The one IP-range check: which numeric addresses are not on the public internet.

#include <string_view>

namespace instctl::util {

// True for addresses outbound requests must not reach by default: loopback, private (RFC 1918,
// fc00::/7), link-local, CGNAT, multicast, unspecified, reserved and documentation ranges, and
// the IPv4-mapped, NAT64 and 6to4 forms of them. `address` is a numeric IPv4 (dotted quad) or
// IPv6 address; anything else is restricted too.
bool is_restricted_address(std::string_view address);

// True for 127.0.0.0/8 (as a dotted quad), ::1 and ::ffff:127.x.y.z.
bool is_loopback_address(std::string_view address);

}  // namespace instctl::util
