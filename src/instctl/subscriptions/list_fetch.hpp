#pragma once

// Fetching a subscribed list through the outbound client (its SSRF guards, https rule and
// deadline), with a conditional GET: an unchanged list costs a 304.

#include <cstddef>
#include <optional>
#include <string>

#include "instctl/net/http_client.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

// The largest list accepted (the client refuses a longer body).
inline constexpr std::size_t k_max_list_bytes = 16 * 1024 * 1024;

struct FetchedList {
  bool unchanged = false;  // 304 Not Modified: keep the entries
  std::string body;
  std::optional<std::string> etag, last_modified;
};

// Throws Error(remote) naming the URL and what went wrong (a refused URL, a failed
// connection, a body over the cap, any status but 200 and 304).
FetchedList fetch_list(net::HttpClient& client, const Subscription& s);

}  // namespace instctl::subscriptions
