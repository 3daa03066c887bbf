// The libcurl implementation of HttpClient, with the guards described in http_client.hpp.

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "instctl/core/error.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/net/curl_multi.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::net {

namespace {

using Clock = std::chrono::steady_clock;

std::exception_ptr remote_error(std::string message) {
  return std::make_exception_ptr(Error(ErrorKind::remote, std::move(message)));
}

std::string sockaddr_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// The address guard: may a socket connect to this numeric address?
bool may_connect(const ClientOptions& o, const std::string& address) {
  return o.allow_private_addresses || !is_restricted_address(address) ||
         std::find(o.trusted_addresses.begin(), o.trusted_addresses.end(), address) !=
             o.trusted_addresses.end();
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl::api().slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void add(Slist& list, const std::string& line) {
  curl_slist* l = curl::api().slist_append(list.get(), line.c_str());
  if (l == nullptr) throw Error(ErrorKind::internal, "out of memory");
  list.release();
  list.reset(l);
}

// One request with its redirects, under one deadline.
struct Exchange {
  ClientOptions options;
  HttpRequest request;
  Clock::time_point start;
  Clock::time_point deadline;
  HttpClient::Done done;
  int hops = 0;

  std::int64_t budget_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - start).count();
  }
};

void start_hop(std::shared_ptr<Exchange> ex, const std::string& url);

// One hop of an exchange: an easy handle with every guard set, and what its callbacks collect.
class Hop final : public curl::Transfer {
 public:
  Hop(std::shared_ptr<Exchange> ex, std::string url, UrlParts parts, std::int64_t left_ms)
      : m_ex(std::move(ex)),
        m_url(std::move(url)),
        m_parts(std::move(parts)),
        m_easy(m_lib->easy_init(), m_lib->easy_cleanup) {
    if (!m_easy) throw Error(ErrorKind::internal, "libcurl could not start");
    setup(left_ms);
  }

  CURL* easy() override { return m_easy.get(); }

  void finished(CURLcode rc) override {
    if (rc != CURLE_OK) return m_ex->done(failure(rc), {});
    const curl::Api& lib = *m_lib;
    lib.easy_getinfo(m_easy.get(), CURLINFO_RESPONSE_CODE, &m_response.status);
    char* location = nullptr;
    lib.easy_getinfo(m_easy.get(), CURLINFO_REDIRECT_URL, &location);
    m_response.url = location != nullptr ? location : m_url;
    const long s = m_response.status;
    const bool redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    const HttpRequest& req = m_ex->request;
    if (!redirect || !req.follow_redirects || !util::iequals(req.method, "GET")) {
      return m_ex->done(nullptr, std::move(m_response));
    }
    if (m_ex->hops >= m_ex->options.max_redirects) {
      return m_ex->done(remote_error(fmt::format("too many redirects fetching {} (at most {})",
                                                 req.url, m_ex->options.max_redirects)),
                        {});
    }
    if (location == nullptr) {
      return m_ex->done(remote_error(fmt::format("{} redirects without a Location", m_url)), {});
    }
    ++m_ex->hops;
    start_hop(m_ex, m_response.url);  // the absolute redirect target, checked again
  }

 private:
  void setup(std::int64_t left_ms) {
    const curl::Api& lib = *m_lib;
    CURL* c = m_easy.get();
    const HttpRequest& req = m_ex->request;
    for (const auto& h : req.headers) add(m_headers, h.name + ": " + h.value);
    add(m_headers, "Expect:");
    // libcurl gets the URL rebuilt from the parts the guards judged (util/url.hpp), and sends
    // the target as it is, as the signer signed it (no dot-segment removal).
    lib.easy_setopt(c, CURLOPT_URL, m_parts.to_string().c_str());
    lib.easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    lib.easy_setopt(c, CURLOPT_PROXY, "");
    lib.easy_setopt(c, CURLOPT_NOPROXY, "*");
    lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    // A connection checked for one client's guard is never handed to another's request.
    lib.easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    lib.easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(left_ms));
    lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(left_ms));
    lib.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_ex->options.max_body));
    lib.easy_setopt(c, CURLOPT_USERAGENT, m_ex->options.user_agent.c_str());
    lib.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    lib.easy_setopt(c, CURLOPT_HTTPHEADER, m_headers.get());
    lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    lib.easy_setopt(c, CURLOPT_WRITEDATA, this);
    lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    lib.easy_setopt(c, CURLOPT_HEADERDATA, this);
    lib.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    lib.easy_setopt(c, CURLOPT_OPENSOCKETDATA, this);
    if (util::iequals(req.method, "GET")) {
      lib.easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
      lib.easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      lib.easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
      lib.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* h = static_cast<Hop*>(user);
    const std::size_t len = size * n;
    if (h->m_response.body.size() + len > h->m_ex->options.max_body) {
      h->m_too_big = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    h->m_response.body.append(data, len);
    return len;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* h = static_cast<Hop*>(user);
    const std::string_view line(data, size * n);
    if (util::starts_with_ci(line, "HTTP/")) {
      h->m_response.headers.clear();  // a new response (after 100 Continue): keep only the last
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      h->m_response.headers.push_back({std::string(util::trim(line.substr(0, colon))),
                                       std::string(util::trim(line.substr(colon + 1)))});
    }
    return size * n;
  }

  // Every address libcurl is about to connect to, after its own resolution: the guard.
  static curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* addr) {
    auto* h = static_cast<Hop*>(user);
    const auto a = sockaddr_text(&addr->addr);
    if (a.empty() || !may_connect(h->m_ex->options, a)) {
      if (h->m_refused.empty()) h->m_refused = a.empty() ? "an unknown address" : a;
      return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
  }

  std::exception_ptr failure(CURLcode rc) const {
    const ClientOptions& o = m_ex->options;
    if (!m_refused.empty()) {
      const std::string who = m_refused == m_parts.host
                                  ? m_refused
                                  : fmt::format("{}: it resolves to {}", m_parts.host, m_refused);
      return remote_error(fmt::format(
          "refused to contact {}, a private, loopback or link-local address (allowed only with "
          "'instctl config set federation.allow_private_addresses true')",
          who));
    }
    if (m_too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      return remote_error(
          fmt::format("the response from {} is larger than {} KiB", m_url, o.max_body / 1024));
    }
    if (rc == CURLE_COULDNT_RESOLVE_HOST) {
      return remote_error(fmt::format("cannot resolve the host name {}", m_parts.host));
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return remote_error(
          fmt::format("{} did not answer within {} s", m_url,
                      std::round(static_cast<double>(m_ex->budget_ms()) / 100.0) / 10.0));
    }
    return remote_error(fmt::format("request to {} failed: {}", m_url, m_lib->easy_strerror(rc)));
  }

  curl::Lease m_lib;  // first: libcurl stays loaded until the handles below are gone
  std::shared_ptr<Exchange> m_ex;
  std::string m_url;
  UrlParts m_parts;
  std::unique_ptr<CURL, void (*)(CURL*)> m_easy;
  Slist m_headers;
  HttpResponse m_response;
  std::string m_refused;  // set when the socket callback refused an address
  bool m_too_big = false;
};

// Checks the URL of the next hop and hands it to the multi; a refusal ends the exchange.
void start_hop(std::shared_ptr<Exchange> ex, const std::string& url) {
  const ClientOptions& o = ex->options;
  const auto parts = parse_url(url);
  if (!parts) return ex->done(remote_error(fmt::format("'{}' is not an http(s) URL", url)), {});
  if (parts->scheme != "https" && !o.allow_http) {
    return ex->done(
        remote_error(fmt::format("refused to fetch {}: only https is allowed (plain http only with "
                                 "'instctl config set federation.allow_http true')",
                                 url)),
        {});
  }
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(ex->deadline - Clock::now()).count();
  if (left <= 0)
    return ex->done(remote_error(fmt::format("{} could not be fetched in time", url)), {});
  std::unique_ptr<curl::Transfer> hop;
  if (auto failed = caught([&] { hop = std::make_unique<Hop>(ex, url, *parts, left); })) {
    return ex->done(std::move(failed), {});
  }
  curl::Multi::shared().add(std::move(hop));
}

class CurlClient final : public HttpClient {
 public:
  // libcurl is loaded by the first request, not here: a server makes its client at start.
  explicit CurlClient(ClientOptions o) : m_options(std::move(o)) {}

  HttpResponse send(const HttpRequest& request) override {
    return wait_for_result<HttpResponse>([&](Done done) { send_async(request, std::move(done)); });
  }

  void send_async(HttpRequest request, Done done) override {
    auto ex = std::make_shared<Exchange>();
    ex->options = m_options;
    ex->start = Clock::now();
    constexpr auto never = Clock::time_point::max();
    ex->deadline = std::min(request.deadline.value_or(never),
                            ex->start + std::chrono::milliseconds(m_options.timeout_ms));
    ex->request = std::move(request);
    ex->done = std::move(done);
    // Loads libcurl, or fails here with the package to install.
    if (auto failed = caught([] { const curl::Lease lib; })) return ex->done(std::move(failed), {});
    const std::string url = ex->request.url;
    start_hop(std::move(ex), url);
  }

 private:
  ClientOptions m_options;
};

}  // namespace

void HttpClient::send_async(HttpRequest request, Done done) {
  HttpResponse res;
  if (auto failed = caught([&] { res = send(request); })) return done(std::move(failed), {});
  done(nullptr, std::move(res));
}

std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options) {
  return std::make_unique<CurlClient>(options);
}

}  // namespace instctl::net
