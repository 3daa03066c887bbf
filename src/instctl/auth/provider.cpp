#include "instctl/auth/provider.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
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

// What a person is told when the provider's documents cannot be had: the operator's message
// (what()) names the document and the reason.
std::exception_ptr with_public_face(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    if (e.has_public_message()) return error;
    Error failed = e;
    failed.with_public(
        "Signing in through the partner is not possible at the moment. Please try again later.");
    return std::make_exception_ptr(std::move(failed));
  } catch (...) {
    return error;
  }
}

// Sends `req`; a 200's body goes through `parse` (on the client's thread), anything else ends
// the operation with Error(remote) naming `what`. A throwing `parse` ends it with its error.
// Every Error it ends with has a public face (the provider cannot be reached).
template <class T, class Parse>
void fetch_parsed(net::HttpClient& client, net::HttpRequest req, std::string what, Then<T> done,
                  Parse parse) {
  const std::string url = req.url;
  client.send_async(
      std::move(req), [url, what = std::move(what), done = std::move(done),
                       parse = std::move(parse)](std::exception_ptr error, net::HttpResponse res) {
        // The original error is released before `done` hands the faced one to another thread:
        // the two share their message, and the waiting thread must hold its only reference.
        if (error) {
          auto faced = with_public_face(std::move(error));
          return done(std::move(faced), T{});
        }
        T value;
        auto failed = net::caught([&] {
          if (res.status != 200) {
            throw Error(ErrorKind::remote, fmt::format("the provider's {} ({}) answered HTTP {}",
                                                       what, url, res.status));
          }
          value = parse(res.body);
        });
        if (failed) {
          auto faced = with_public_face(std::move(failed));
          return done(std::move(faced), T{});
        }
        done(nullptr, std::move(value));
      });
}

net::HttpRequest json_get(std::string url, Deadline deadline) {
  net::HttpRequest req;
  req.url = std::move(url);
  req.headers = {{"Accept", net::k_accept_json}};
  req.deadline = deadline;
  return req;
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
    throw Error(ErrorKind::usage,
                fmt::format("the client secret file {} is empty", s.client_secret_file));
  }
  return line;
}

void fetch_discovery_async(net::HttpClient& client, std::string issuer, Deadline deadline,
                           Then<ProviderMetadata> done) {
  fetch_parsed(client, json_get(discovery_url(issuer), deadline), "discovery document",
               std::move(done),
               [issuer](const std::string& body) { return parse_discovery(body, issuer); });
}

ProviderMetadata fetch_discovery(net::HttpClient& client, std::string_view issuer) {
  return net::wait_for_result<ProviderMetadata>([&](Then<ProviderMetadata> done) {
    fetch_discovery_async(client, std::string(issuer), std::nullopt, std::move(done));
  });
}

std::vector<Jwk> parse_jwks_or_throw(std::string_view body, std::string_view url) {
  const auto keys = parse_jwks(body);
  if (!keys) malformed(fmt::format("the provider's JWKS ({}) is not a JSON key set", url));
  if (keys->empty()) {
    malformed(
        fmt::format("the provider's JWKS ({}) holds no usable signing key (RSA of at "
                    "least 2048 bits or EC P-256)",
                    url));
  }
  return *keys;
}

void fetch_userinfo_async(net::HttpClient& client, std::string endpoint, std::string access_token,
                          std::string expected_subject, Deadline deadline, Then<Json> done) {
  net::HttpRequest req = json_get(endpoint, deadline);
  req.follow_redirects = false;
  req.headers.push_back({"Authorization", "Bearer " + access_token});
  fetch_parsed(client, std::move(req), "UserInfo endpoint", std::move(done),
               [expected_subject](const std::string& body) {
                 return parse_userinfo(body, expected_subject);
               });
}

void fetch_jwks_async(net::HttpClient& client, std::string jwks_uri, Deadline deadline,
                      Then<std::vector<Jwk>> done) {
  fetch_parsed(client, json_get(jwks_uri, deadline), "JWKS", std::move(done),
               [jwks_uri](const std::string& body) { return parse_jwks_or_throw(body, jwks_uri); });
}

std::vector<Jwk> fetch_jwks(net::HttpClient& client, std::string_view jwks_uri) {
  return net::wait_for_result<std::vector<Jwk>>([&](Then<std::vector<Jwk>> done) {
    fetch_jwks_async(client, std::string(jwks_uri), std::nullopt, std::move(done));
  });
}

}  // namespace instctl::auth
