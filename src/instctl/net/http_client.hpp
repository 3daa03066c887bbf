#pragma once

// Outbound HTTP for everything federation does (WebFinger, actor and key fetches, NodeInfo,
// signed deliveries). One interface, one libcurl implementation, and one set of guards:
//   - https only, unless federation.allow_http;
//   - the host is resolved by us, every address is checked (no private, loopback, link-local,
//     multicast or reserved ranges unless federation.allow_private_addresses), and the
//     connection is pinned to the checked addresses (CURLOPT_RESOLVE, and the socket callback
//     refuses anything else), so DNS cannot rebind between the check and the connect;
//   - a total timeout (10 s, or the request's deadline when sooner, across every redirect),
//     at most 3 redirects, each one checked like the first request;
//   - the response body is capped (1 MiB);
//   - no proxies from the environment, no cookies, no other protocols.
// Failures throw Error(ErrorKind::remote) with a message naming the URL and what went wrong.
//
//   auto client = net::make_http_client(net::client_options(db));
//   net::HttpRequest req{"GET", url, {{"Accept", net::k_accept_activity}}};
//   net::HttpResponse res = client->send(req);   // any status; throws only on failure to talk

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "instctl/crypto/http_signature.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::net {

inline constexpr const char* k_accept_activity =
    "application/activity+json, application/ld+json; "
    "profile=\"https://www.w3.org/ns/activitystreams\"";
inline constexpr const char* k_accept_jrd = "application/jrd+json, application/json";
inline constexpr const char* k_accept_json = "application/json";
inline constexpr const char* k_content_type_activity = "application/activity+json";

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  crypto::Headers headers;  // Accept, Content-Type, Date, Digest, Signature, Host...
  std::string body;
  // Redirects are followed for GET only; a signed POST must reach the URL it was signed for.
  bool follow_redirects = true;
  // When set, the whole exchange (every redirect hop) ends by then, whatever the client's
  // timeout; callers that make several requests for one purpose pass the same deadline.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct HttpResponse {
  long status = 0;
  crypto::Headers headers;  // of the final response
  std::string body;
  std::string url;  // the final URL, after redirects
  std::optional<std::string> header(std::string_view name) const {
    return crypto::find_header(headers, name);
  }
};

struct ClientOptions {
  bool allow_http = false;
  bool allow_private_addresses = false;
  std::int64_t timeout_ms = 10'000;
  int max_redirects = 3;
  std::size_t max_body = 1024 * 1024;
  std::string user_agent = "instctl";
  // Exact addresses let through although restricted (a test peer on 127.0.0.1 while the guard
  // stays on for everything else). Not a user setting.
  std::vector<std::string> trusted_addresses;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request; any HTTP status comes back as a response. Throws Error(remote) when the
  // URL is refused by the guards, the connection fails, it times out, or the body is too big.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options);

// One deadline for everything this thread sends while the scope lives, on top of each
// request's own: for an answer that needs several requests in a row (a partner sign-in's
// discovery, token and keys), so the whole has one time limit, not a fresh one per request.
class DeadlineScope {
 public:
  explicit DeadlineScope(std::chrono::steady_clock::time_point deadline);
  ~DeadlineScope();
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;
  // The innermost scope's deadline on this thread, if any.
  static std::optional<std::chrono::steady_clock::time_point> current();

 private:
  std::optional<std::chrono::steady_clock::time_point> m_outer;
};

// The options of this instance: federation.allow_http, federation.allow_private_addresses,
// User-Agent "instctl/VERSION (+PUBLIC_URL)", and $INSTCTL_HTTP_TIMEOUT (seconds) if set.
ClientOptions client_options(db::Connection& db);

// The pieces of an http(s) URL the guards and the signer need.
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // lower case, without brackets for IPv6
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query ("/" when empty)
  std::string host_header() const;  // host, with :port when not the scheme's default
};
// nullopt when the text is not an absolute http(s) URL with a host.
std::optional<UrlParts> parse_url(std::string_view url);

// True for addresses outbound requests must not reach by default: loopback, private (RFC 1918,
// fc00::/7), link-local, CGNAT, multicast, unspecified, reserved and documentation ranges, and
// IPv4-mapped forms of them. `address` is a numeric IPv4 or IPv6 address.
bool is_restricted_address(std::string_view address);

}  // namespace instctl::net
