#include "instctl/auth/provider.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::auth {

namespace {

[[noreturn]] void malformed(std::string message) {
  throw Error(ErrorKind::invalid_data, std::move(message));
}

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string fetch_json(net::HttpClient& client, const std::string& url, const char* what) {
  net::HttpRequest req;
  req.url = url;
  req.headers = {{"Accept", net::k_accept_json}};
  const auto res = client.send(req);
  if (res.status != 200) {
    throw Error(ErrorKind::remote,
                fmt::format("the provider's {} ({}) answered HTTP {}", what, url, res.status));
  }
  return res.body;
}

}  // namespace

std::string OidcSettings::button_name() const {
  if (!display_name.empty()) return display_name;
  const auto url = net::parse_url(issuer);
  return url ? url->host : issuer;
}

bool OidcSettings::email_domain_allowed(std::string_view email) const {
  if (allowed_domains.empty()) return true;
  const auto at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  const auto domain = util::to_lower(email.substr(at + 1));
  return contains(allowed_domains, domain);
}

OidcSettings load_oidc_settings(db::Connection& db) {
  const instance::Settings s(db);
  OidcSettings o;
  o.issuer = s.get("auth.oidc.issuer");
  o.client_id = s.get("auth.oidc.client_id");
  o.client_secret_file = s.get("auth.oidc.client_secret_file");
  o.display_name = s.get("auth.oidc.display_name");
  o.bypass_waitlist = s.get_bool("auth.oidc.bypass_waitlist");
  for (const auto& d : util::split(s.get("auth.oidc.allowed_domains"), ',')) {
    if (!d.empty()) o.allowed_domains.push_back(util::to_lower(d));
  }
  return o;
}

std::string read_client_secret(const OidcSettings& s) {
  if (s.client_secret_file.empty()) {
    throw Error(ErrorKind::usage,
                "auth.oidc.client_secret_file is not set: put the client secret in a file "
                "readable only by instctl and 'instctl config set auth.oidc.client_secret_file "
                "PATH'");
  }
  std::ifstream in(s.client_secret_file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot read the client secret file {} (auth.oidc.client_secret_file); "
                            "check the path and its permissions",
                            s.client_secret_file));
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) {
    throw Error(ErrorKind::usage, fmt::format("the client secret file {} is empty", s.client_secret_file));
  }
  return line;
}

ProviderMetadata fetch_discovery(net::HttpClient& client, std::string_view issuer) {
  return parse_discovery(fetch_json(client, discovery_url(issuer), "discovery document"), issuer);
}

std::vector<Jwk> parse_jwks_or_throw(std::string_view body, std::string_view url) {
  const auto keys = parse_jwks(body);
  if (!keys) malformed(fmt::format("the provider's JWKS ({}) is not a JSON key set", url));
  if (keys->empty()) {
    malformed(fmt::format("the provider's JWKS ({}) holds no usable signing key (RSA of at "
                          "least 2048 bits or EC P-256)",
                          url));
  }
  return *keys;
}

Json fetch_userinfo(net::HttpClient& client, std::string_view endpoint,
                    std::string_view access_token, std::string_view expected_subject) {
  net::HttpRequest req;
  req.url = std::string(endpoint);
  req.follow_redirects = false;
  req.headers = {{"Accept", net::k_accept_json},
                 {"Authorization", "Bearer " + std::string(access_token)}};
  const auto res = client.send(req);
  if (res.status != 200) {
    throw Error(ErrorKind::remote,
                fmt::format("the provider's UserInfo endpoint ({}) answered HTTP {}", endpoint,
                            res.status));
  }
  return parse_userinfo(res.body, expected_subject);
}

std::vector<Jwk> fetch_jwks(net::HttpClient& client, std::string_view jwks_uri) {
  const std::string url(jwks_uri);
  return parse_jwks_or_throw(fetch_json(client, url, "JWKS"), url);
}

}  // namespace instctl::auth
