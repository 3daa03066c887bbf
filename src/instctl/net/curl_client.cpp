// The libcurl implementation of HttpClient, with the guards described in http_client.hpp.

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <set>

#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/version.hpp"

namespace instctl::net {

namespace {

[[noreturn]] void remote_error(std::string message) {
  throw Error(ErrorKind::remote, std::move(message));
}

// The canonical text of a numeric address (as inet_ntop writes it), or "" for a host name.
std::string ip_literal(const std::string& host) {
  unsigned char buf[16];
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return inet_ntop(AF_INET, buf, text, sizeof text);
  if (inet_pton(AF_INET6, host.c_str(), buf) == 1) return inet_ntop(AF_INET6, buf, text, sizeof text);
  return "";
}
bool is_ip_literal(const std::string& host) { return !ip_literal(host).empty(); }

std::string sockaddr_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

bool trusted(const ClientOptions& o, const std::string& address) {
  return std::find(o.trusted_addresses.begin(), o.trusted_addresses.end(), address) !=
         o.trusted_addresses.end();
}

// The numeric addresses of `host`, each checked against the guard.
std::vector<std::string> resolve_checked(const UrlParts& url, const ClientOptions& o) {
  std::vector<std::string> out;
  if (is_ip_literal(url.host)) {
    out.push_back(ip_literal(url.host));
  } else {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(url.host.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) {
      remote_error(fmt::format("cannot resolve the host name {}", url.host));
    }
    for (auto* ai = res; ai != nullptr; ai = ai->ai_next) {
      const auto a = sockaddr_text(ai->ai_addr);
      if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    freeaddrinfo(res);
  }
  if (out.empty()) remote_error(fmt::format("cannot resolve the host name {}", url.host));
  if (!o.allow_private_addresses) {
    for (const auto& a : out) {
      if (is_restricted_address(a) && !trusted(o, a)) {
        remote_error(fmt::format(
            "refused to contact {}: it resolves to {}, a private, loopback or link-local address "
            "(allowed only with 'instctl config set federation.allow_private_addresses true')",
            url.host, a));
      }
    }
  }
  return out;
}

struct Transfer {
  const ClientOptions* options = nullptr;
  std::set<std::string> pinned;  // the only addresses the socket may connect to
  std::string refused;           // set when the socket callback refused an address
  bool too_big = false;
  HttpResponse response;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  if (t->response.body.size() + len > t->options->max_body) {
    t->too_big = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (util::starts_with_ci(line, "HTTP/")) {
    t->response.headers.clear();  // a new response (after 100 Continue): keep only the last
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response.headers.push_back({std::string(util::trim(line.substr(0, colon))),
                                   std::string(util::trim(line.substr(colon + 1)))});
  }
  return size * n;
}

curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(user);
  const auto a = sockaddr_text(&addr->addr);
  const bool ok = t->pinned.count(a) > 0 &&
                  (t->options->allow_private_addresses || !is_restricted_address(a) ||
                   trusted(*t->options, a));
  if (!ok) {
    t->refused = a;
    return CURL_SOCKET_BAD;
  }
  return socket(addr->family, addr->socktype, addr->protocol);
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

class CurlClient final : public HttpClient {
 public:
  // libcurl is loaded by the first request, not here: a server makes its client at start.
  explicit CurlClient(ClientOptions o) : m_options(std::move(o)) {}

  HttpResponse send(const HttpRequest& request) override {
    std::string url = request.url;
    const auto start = std::chrono::steady_clock::now();
    constexpr auto never = std::chrono::steady_clock::time_point::max();
    const auto deadline = std::min({request.deadline.value_or(never),
                                    DeadlineScope::current().value_or(never),
                                    start + std::chrono::milliseconds(m_options.timeout_ms)});
    for (int hop = 0;; ++hop) {
      HttpResponse res = send_once(request, url, deadline);
      const bool redirect = res.status == 301 || res.status == 302 || res.status == 303 ||
                            res.status == 307 || res.status == 308;
      if (!redirect || !request.follow_redirects || !util::iequals(request.method, "GET")) {
        return res;
      }
      if (hop >= m_options.max_redirects) {
        remote_error(fmt::format("too many redirects fetching {} (at most {})", request.url,
                                 m_options.max_redirects));
      }
      if (res.url.empty()) remote_error(fmt::format("{} redirects without a Location", url));
      url = res.url;  // the absolute redirect target; checked again by send_once
    }
  }

 private:
  UrlParts check(const std::string& url) const {
    const auto parts = parse_url(url);
    if (!parts) remote_error(fmt::format("'{}' is not an http(s) URL", url));
    if (parts->scheme != "https" && !m_options.allow_http) {
      remote_error(fmt::format("refused to fetch {}: only https is allowed (plain http only with "
                               "'instctl config set federation.allow_http true')",
                               url));
    }
    return *parts;
  }

  HttpResponse send_once(const HttpRequest& request, const std::string& url,
                         std::chrono::steady_clock::time_point deadline) {
    const UrlParts parts = check(url);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) remote_error(fmt::format("{} could not be fetched in time", url));
    Transfer t;
    t.options = &m_options;
    const auto addresses = resolve_checked(parts, m_options);
    const curl::Api& lib = curl::api();
    t.pinned.insert(addresses.begin(), addresses.end());

    std::unique_ptr<CURL, void (*)(CURL*)> curl(lib.easy_init(), lib.easy_cleanup);
    if (!curl) throw Error(ErrorKind::internal, "libcurl could not start");
    CURL* c = curl.get();
    Slist resolve, headers;
    if (!is_ip_literal(parts.host)) {
      std::vector<std::string> bracketed;
      for (const auto& a : addresses) {
        bracketed.push_back(a.find(':') != std::string::npos ? "[" + a + "]" : a);
      }
      add(resolve, fmt::format("{}:{}:{}", parts.host, parts.port, util::join(bracketed, ",")));
      lib.easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
    }
    for (const auto& h : request.headers) add(headers, h.name + ": " + h.value);
    add(headers, "Expect:");
    lib.easy_setopt(c, CURLOPT_URL, url.c_str());
    lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    lib.easy_setopt(c, CURLOPT_PROXY, "");
    lib.easy_setopt(c, CURLOPT_NOPROXY, "*");
    lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
    lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(left));
    lib.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_body));
    lib.easy_setopt(c, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    lib.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    lib.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    lib.easy_setopt(c, CURLOPT_WRITEDATA, &t);
    lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    lib.easy_setopt(c, CURLOPT_HEADERDATA, &t);
    lib.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    lib.easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
    if (util::iequals(request.method, "GET")) {
      lib.easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
      lib.easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      lib.easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
      lib.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    const CURLcode rc = lib.easy_perform(c);
    if (rc != CURLE_OK) fail(rc, t, url, left);
    lib.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t.response.status);
    char* location = nullptr;
    lib.easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
    t.response.url = location != nullptr ? location : url;
    return std::move(t.response);
  }

  [[noreturn]] void fail(CURLcode rc, const Transfer& t, const std::string& url,
                         std::int64_t timeout_ms) const {
    if (!t.refused.empty()) {
      remote_error(fmt::format("refused to connect to {} for {}: not a checked public address",
                               t.refused, url));
    }
    if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      remote_error(fmt::format("the response from {} is larger than {} KiB", url,
                               m_options.max_body / 1024));
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      remote_error(fmt::format("{} did not answer within {} s", url,
                               std::round(static_cast<double>(timeout_ms) / 100.0) / 10.0));
    }
    remote_error(fmt::format("request to {} failed: {}", url, curl::api().easy_strerror(rc)));
  }

  ClientOptions m_options;
};

}  // namespace

thread_local std::optional<std::chrono::steady_clock::time_point> t_deadline;

DeadlineScope::DeadlineScope(std::chrono::steady_clock::time_point deadline) : m_outer(t_deadline) {
  t_deadline = m_outer ? std::min(*m_outer, deadline) : deadline;
}

DeadlineScope::~DeadlineScope() { t_deadline = m_outer; }

std::optional<std::chrono::steady_clock::time_point> DeadlineScope::current() { return t_deadline; }

std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options) {
  return std::make_unique<CurlClient>(options);
}

ClientOptions client_options(db::Connection& db) {
  ClientOptions o;
  instance::Settings settings(db);
  o.allow_http = settings.get_bool("federation.allow_http");
  o.allow_private_addresses = settings.get_bool("federation.allow_private_addresses");
  const auto info = instance::load(db);
  o.user_agent = fmt::format("instctl/{} (+{})", k_version, info.public_url);
  if (const char* t = std::getenv("INSTCTL_HTTP_TIMEOUT"); t != nullptr && *t != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(t, &end);
    if (end == t || *end != '\0' || seconds <= 0 || seconds > 600) {
      throw Error(ErrorKind::usage, "INSTCTL_HTTP_TIMEOUT must be a number of seconds (0-600)");
    }
    o.timeout_ms = static_cast<std::int64_t>(seconds * 1000);
  }
  return o;
}

}  // namespace instctl::net
