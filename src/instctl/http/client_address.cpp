#include "instctl/http/client_address.hpp"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <optional>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::http {

namespace ip = boost::asio::ip;

namespace {

// The address, with an IPv4-mapped IPv6 address (::ffff:10.0.0.5) as the IPv4 one it maps.
std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

// The last entry of every X-Forwarded-For header, if it is an IP address.
std::string last_forwarded(const Request& req) {
  std::string last;
  for (const auto& [name, value] : req.headers) {
    if (name != "x-forwarded-for") continue;
    const auto comma = value.rfind(',');
    last = std::string(util::trim(comma == std::string::npos
                                      ? std::string_view(value)
                                      : std::string_view(value).substr(comma + 1)));
  }
  const auto a = parse_address(last);
  return a ? a->to_string() : std::string();
}

TrustedProxies& process_proxies() {
  static TrustedProxies proxies;
  return proxies;
}

}  // namespace

void TrustedProxies::add(std::string_view network) {
  const auto slash = network.find('/');
  const auto address = parse_address(network.substr(0, slash));
  const auto bad = [&] {
    return Error(ErrorKind::usage,
                 fmt::format("--trusted-proxy '{}' is not an address or a network: give "
                             "ADDRESS or ADDRESS/PREFIX, e.g. 10.0.0.5 or 10.0.0.0/24",
                             network));
  };
  if (!address) throw bad();
  const int max_prefix = address->is_v4() ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const auto digits = network.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      throw bad();
    }
    prefix = std::stoi(std::string(digits));
    if (prefix > max_prefix) throw bad();
  }
  if (address->is_v4()) {
    m_v4.push_back(
        ip::network_v4(address->to_v4(), static_cast<unsigned short>(prefix)).canonical());
  } else {
    m_v6.push_back(
        ip::network_v6(address->to_v6(), static_cast<unsigned short>(prefix)).canonical());
  }
}

bool TrustedProxies::trusts(std::string_view peer) const {
  const auto a = parse_address(peer);
  if (!a) return false;
  if (a->is_loopback()) return true;
  if (a->is_v4()) {
    for (const auto& n : m_v4) {
      if (ip::network_v4(a->to_v4(), n.prefix_length()).canonical() == n) return true;
    }
  } else {
    for (const auto& n : m_v6) {
      if (ip::network_v6(a->to_v6(), n.prefix_length()).canonical() == n) return true;
    }
  }
  return false;
}

void trust_proxies(TrustedProxies proxies) { process_proxies() = std::move(proxies); }

std::string client_address(const Request& req, const TrustedProxies& proxies) {
  if (!proxies.trusts(req.remote)) return req.remote;
  const auto forwarded = last_forwarded(req);
  return forwarded.empty() ? req.remote : forwarded;
}

std::string client_address(const Request& req) { return client_address(req, process_proxies()); }

bool from_trusted_address(const Request& req) {
  return process_proxies().trusts(client_address(req, process_proxies()));
}

std::string client_key(std::string_view address) {
  const auto a = parse_address(address);
  if (!a) return std::string(address);
  if (a->is_v4()) return a->to_string();
  return ip::network_v6(a->to_v6(), 64).canonical().to_string();
}

}  // namespace instctl::http
