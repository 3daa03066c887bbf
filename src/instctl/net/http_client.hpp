#pragma once

// Outbound HTTP for everything federation and partner sign-in do (WebFinger, actor and key
// fetches, NodeInfo, signed deliveries, OIDC discovery, token and keys). One interface, one
// libcurl implementation on the multi interface (net/curl_multi.hpp: one thread drives every
// exchange), and one set of guards, applied to every hop in one place (curl_client.cpp):
//   - https only, unless federation.allow_http;
//   - libcurl resolves the host (its threaded resolver, bounded by the deadline), and the
//     address each socket is about to connect to is checked in CURLOPT_OPENSOCKETFUNCTION (no
//     private, loopback, link-local, multicast or reserved ranges unless
//     federation.allow_private_addresses): the check sees the very address connected to, so
//     DNS cannot rebind between the check and the connect;
//   - one deadline for the whole exchange (10 s, or the request's deadline when sooner): DNS,
//     connect and every redirect hop; at most 3 redirects, each one checked like the first;
//   - the response body is capped (1 MiB);
//   - no proxies from the environment, no cookies, no connection reuse, no other protocols.
// Failures are Error(ErrorKind::remote) with a message naming the URL and what went wrong.
//
//   auto client = net::make_http_client(instance::client_options(db));
//   net::HttpRequest req{"GET", url, {{"Accept", net::k_accept_activity}}};
//   net::HttpResponse res = client->send(req);   // blocks this thread; throws on failure
//   client->send_async(req, [](std::exception_ptr error, net::HttpResponse res) { ... });
//
// send_async returns at once; its callback runs once, on the client's thread (keep it short,
// never call send() there). send() is a wait over send_async.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instctl/crypto/http_signature.hpp"
#include "instctl/util/ip_range.hpp"
#include "instctl/util/url.hpp"

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
  // The end of an exchange: `error` (an Error(remote) as send() would throw) or the response.
  using Done = std::function<void(std::exception_ptr error, HttpResponse response)>;

  virtual ~HttpClient() = default;
  // Sends the request; any HTTP status comes back as a response. Throws Error(remote) when the
  // URL is refused by the guards, the connection fails, it times out, or the body is too big.
  virtual HttpResponse send(const HttpRequest& request) = 0;
  // Starts the request and returns; `done` runs exactly once: on the client's thread, or on
  // the caller's when the request is refused before it starts (a URL the guards refuse). This
  // default (for test doubles) calls send() inline.
  virtual void send_async(HttpRequest request, Done done);
};

// Runs `f` and returns what it threw (nullptr when nothing), with the handler already left: a
// completion handed this error holds its only reference, so the thread that caught it never
// frees it while the party waiting on the completion reads it.
template <class F>
std::exception_ptr caught(F&& f) {
  std::exception_ptr error;
  try {
    f();
  } catch (...) {
    error = std::current_exception();
  }
  return error;
}

// Waits for an asynchronous operation that ends with done(error, value): returns the value or
// rethrows the error. Not on the client's own thread.
template <class T, class Start>
T wait_for_result(Start&& start) {
  // A mutex and a condition (not std::promise): the waiting thread takes the result and the
  // error out under the lock, so the exception object is never freed by the client's thread
  // while this one reads it.
  struct Slot {
    std::mutex mutex;
    std::condition_variable ready;
    bool done = false;
    std::exception_ptr error;
    std::optional<T> value;
  };
  auto slot = std::make_shared<Slot>();
  start([slot](std::exception_ptr error, T value) {
    {
      std::lock_guard lock(slot->mutex);
      slot->error = std::move(error);
      if (!slot->error) slot->value.emplace(std::move(value));
      slot->done = true;
    }
    slot->ready.notify_all();
  });
  std::unique_lock lock(slot->mutex);
  slot->ready.wait(lock, [&] { return slot->done; });
  if (auto error = std::exchange(slot->error, nullptr)) {
    lock.unlock();
    std::rethrow_exception(error);
  }
  return std::move(*slot->value);
}

std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options);

// The one URL parser and the one IP-range check (util/url.hpp, util/ip_range.hpp), which the
// client's guards use, named here for the callers that already speak of net::parse_url.
using util::is_restricted_address;
using util::parse_url;
using util::UrlParts;

}  // namespace instctl::net
