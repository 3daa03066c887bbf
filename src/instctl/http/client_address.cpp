#include "instctl/http/client_address.hpp"

#include <boost/asio/ip/address.hpp>

#include "instctl/util/strings.hpp"

namespace instctl::http {

namespace {

bool is_loopback(const std::string& address) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(address, ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a.is_loopback();
}

// The last entry of every X-Forwarded-For header, if it is an IP address.
std::string last_forwarded(const Request& req) {
  std::string last;
  for (const auto& [name, value] : req.headers) {
    if (name != "x-forwarded-for") continue;
    const auto comma = value.rfind(',');
    last = std::string(util::trim(comma == std::string::npos ? std::string_view(value)
                                                 : std::string_view(value).substr(comma + 1)));
  }
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(last, ec);
  return ec ? std::string() : a.to_string();
}

}  // namespace

std::string client_address(const Request& req) {
  if (!is_loopback(req.remote)) return req.remote;
  const auto forwarded = last_forwarded(req);
  return forwarded.empty() ? req.remote : forwarded;
}

}  // namespace instctl::http
