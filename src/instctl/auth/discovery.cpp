#include "instctl/auth/provider.hpp"

// The pure half of provider.hpp: reading the provider's discovery document (no I/O, no
// database), so the fuzz target can call it alone.

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/error.hpp"
#include "instctl/core/untrusted_json.hpp"

namespace instctl::auth {

namespace {

[[noreturn]] void malformed(std::string message) {
  throw Error(ErrorKind::invalid_data, std::move(message));
}

std::vector<std::string> text_list(const Json& j, const char* name) {
  std::vector<std::string> out;
  const auto it = j.find(name);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string endpoint(const Json& doc, const char* name, bool required) {
  const auto v = text_member(doc, name);
  if (v.empty()) {
    if (required) malformed(fmt::format("the provider's discovery document has no {}", name));
    return v;
  }
  if (!net::parse_url(v)) {
    malformed(fmt::format("the provider's {} is not an http(s) URL: {}", name, v));
  }
  return v;
}

std::string strip_slash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string discovery_url(std::string_view issuer) {
  return strip_slash(issuer) + "/.well-known/openid-configuration";
}

std::string issuer_key(std::string_view issuer) { return strip_slash(issuer); }

Json parse_userinfo(std::string_view body, std::string_view expected_subject) {
  auto doc = parse_untrusted_object(body);
  if (!doc) malformed("the provider's UserInfo answer is not a JSON object");
  if (text_member(*doc, "sub") != expected_subject) {
    malformed("the provider's UserInfo answer names another subject than the ID token");
  }
  return std::move(*doc);
}

ProviderMetadata parse_discovery(std::string_view body, std::string_view expected_issuer) {
  const auto doc = parse_untrusted_object(body);
  if (!doc) malformed("the provider's discovery document is not a JSON object");
  ProviderMetadata m;
  m.issuer = text_member(*doc, "issuer");
  // Exact comparison (OpenID Connect Discovery 4.3), tolerating only a trailing slash that
  // the setting's validation removes.
  if (m.issuer.empty() || strip_slash(m.issuer) != strip_slash(expected_issuer)) {
    malformed(
        fmt::format("the provider's discovery document names the issuer '{}', not {} "
                    "(auth.oidc.issuer must be the provider's issuer exactly)",
                    m.issuer, expected_issuer));
  }
  m.authorization_endpoint = endpoint(*doc, "authorization_endpoint", true);
  m.token_endpoint = endpoint(*doc, "token_endpoint", true);
  m.jwks_uri = endpoint(*doc, "jwks_uri", true);
  m.userinfo_endpoint = endpoint(*doc, "userinfo_endpoint", false);
  m.signing_algs = text_list(*doc, "id_token_signing_alg_values_supported");
  m.code_challenge_methods = text_list(*doc, "code_challenge_methods_supported");
  m.scopes = text_list(*doc, "scopes_supported");
  if (!contains(m.signing_algs, "RS256") && !contains(m.signing_algs, "ES256")) {
    malformed(
        "the provider signs ID tokens with none of the algorithms instctl accepts "
        "(RS256, ES256)");
  }
  if (!m.code_challenge_methods.empty() && !contains(m.code_challenge_methods, "S256")) {
    malformed("the provider does not support PKCE with S256");
  }
  return m;
}

}  // namespace instctl::auth
