#include "instctl/http/host_check.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <variant>

#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

namespace {

// "https://Host:8443/" -> "host:8443" (a default port left out)
std::string authority_of(std::string_view url) {
  const auto u = util::parse_url(url);
  return u ? u->host_header() : "";
}

// The port a Host value names, 0 when it names none.
std::uint16_t port_of(std::string_view host) {
  const auto colon = host.rfind(':');
  if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) return 0;
  unsigned port = 0;
  for (char c : host.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return 0;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  return port <= 65535 ? static_cast<std::uint16_t>(port) : 0;
}

// The same authority, where a URL's default port may be left out.
bool same_authority(std::string_view host, std::string_view want, std::string_view public_url) {
  if (host == want) return true;
  const char* default_port = public_url.starts_with("https:") ? ":443" : ":80";
  return host == fmt::format("{}{}", want, default_port) ||
         fmt::format("{}{}", host, default_port) == want;
}

bool is_unspecified(std::string_view address) { return address == "0.0.0.0" || address == "::"; }

// The request's one Host, lower case: empty when it has none; a 400 when it has two, or none
// in HTTP/1.1.
std::variant<std::string, Response> host_field(const Request& req) {
  std::optional<std::string> host;
  for (const auto& [name, value] : req.headers) {
    if (name != "host") continue;
    if (host) return error_response(400, "Bad request: more than one Host header");
    host = util::to_lower(util::trim(value));
  }
  if ((!host || host->empty()) && !req.http_1_0) {  // HTTP/1.0 has no Host
    return error_response(400, "Bad request: an HTTP/1.1 request needs a Host header");
  }
  return host.value_or("");
}

}  // namespace

std::optional<Response> check_host_field(const Request& req) {
  auto host = host_field(req);
  if (auto* refused = std::get_if<Response>(&host)) return std::move(*refused);
  return std::nullopt;
}

std::optional<Response> check_host(const Request& req, const HostNames& names) {
  auto field = host_field(req);
  if (auto* refused = std::get_if<Response>(&field)) return std::move(*refused);
  const auto* host = &std::get<std::string>(field);  // never null, unlike get_if
  if (host->empty() || req.path == "/health" || req.path == "/health/ready") return std::nullopt;
  const std::string public_authority = authority_of(names.public_url);
  if (same_authority(*host, util::to_lower(names.domain), names.public_url) ||
      same_authority(*host, util::to_lower(names.account_domain), names.public_url) ||
      same_authority(*host, public_authority, names.public_url)) {
    return std::nullopt;
  }
  const std::uint16_t port = port_of(*host);
  if (port != 0 && port == names.listen_port &&
      (is_unspecified(names.listen_host) ||
       *host == fmt::format("{}:{}", names.listen_host, port) ||
       *host == fmt::format("[{}]:{}", names.listen_host, port))) {
    return std::nullopt;
  }
  return error_response(421, fmt::format("Misdirected request: this server answers for {}, not "
                                         "for the Host {} (a proxy must pass the Host on)",
                                         public_authority, *host));
}

}  // namespace instctl::http
