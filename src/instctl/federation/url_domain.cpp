#include "instctl/federation/url_domain.hpp"

#include "instctl/util/url.hpp"

namespace instctl::federation {

std::string url_domain(std::string_view url) {
  const auto parts = util::parse_url_naming_host(url);
  return parts ? parts->host_header() : "";
}

}  // namespace instctl::federation
