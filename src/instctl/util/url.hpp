#pragma once

// URLs: the one parser of http(s) URLs, and the percent and query-string codings.
//
// Every part of instctl that reads a URL's host reads it here: the domain policy and the
// signer (federation), the OIDC issuer check, the configuration's URL settings, and the
// outbound client (net/curl_client.cpp), which hands libcurl the URL rebuilt from these parts
// (`UrlParts::to_string`), never the text it was given. The address guard then judges the
// address libcurl connects to for exactly this host, so the guard and the connection cannot
// read one URL two ways (a backslash, a second '@', a percent-encoded dot, a NUL).
//
// Why a small parser of our own rather than libcurl's URL API (curl_url_get) or Boost.URL:
// libcurl is opened with dlopen on the first outbound request (net/curl_api.hpp), and the
// parser is needed far more often than that (every inbox POST's keyId and actor, every
// `config set`), in processes that would otherwise never map libcurl; Boost.URL is a compiled
// library that would be one more dependency. Neither is stricter than what is needed here,
// which is a small subset of RFC 3986: an absolute http or https URL, no userinfo, a host that
// is a DNS name (letters, digits, '-', '_', '.') or a bracketed IPv6 address, an optional
// port 1-65535, and a path and query without controls or spaces. Everything else is refused.

#include <optional>
#include <string>
#include <string_view>

namespace instctl::util {

// The pieces of an http(s) URL the guards, the signer and the client need.
struct UrlParts {
  std::string scheme;               // "http" or "https" (lower case)
  std::string host;                 // lower case, without brackets for IPv6, without a trailing dot
  int port = 0;                     // explicit or the scheme's default
  std::string target;               // path and query ("/" when empty), without the fragment
  std::string host_header() const;  // host, with :port when not the scheme's default
  std::string origin() const;       // scheme://host_header
  std::string to_string() const;    // origin + target: the URL as the client sends it
};
// nullopt when the text is not an absolute http(s) URL with a well-formed host (see above).
// The scheme and host are case-insensitive; one trailing dot of the host is dropped
// ("example.com." is example.com), an empty label ("a..b", ".a") is refused.
std::optional<UrlParts> parse_url(std::string_view url);
// The same reading for a URL that only names a host (an activity's actor, to find its domain):
// controls or spaces in its path or query do not make it nameless, since it is never sent as
// it stands (parse_url refuses it wherever it would be).
std::optional<UrlParts> parse_url_naming_host(std::string_view url);

// %XX and '+' (as a space, in query strings) decoded; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
// Every byte but the RFC 3986 unreserved ones escaped.
std::string percent_encode(std::string_view s);
// The decoded value of `name` in a query string (a=1&b=2), nullopt when absent or malformed.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace instctl::util
