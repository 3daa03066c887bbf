#include "instctl/federation/url_domain.hpp"

#include "instctl/net/http_client.hpp"

namespace instctl::federation {

std::string url_domain(std::string_view url) {
  const auto parts = net::parse_url(url);
  return parts ? parts->host_header() : "";
}

}  // namespace instctl::federation
