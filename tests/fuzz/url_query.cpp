// URLs and query strings from outside: the query and form bodies serve receives
// (?resource= of WebFinger, the directory's ?offset=&limit=&order=&local=, the sign-up and
// waitlist forms), and the URLs other servers name
// (actor ids, inboxes, key ids) as the outbound client and url_domain read them.
//
// Input: a query string, form body or URL.

#include "fuzz_support.hpp"
#include "instctl/federation/url_domain.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/users/directory_query.hpp"
#include "instctl/util/url.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  for (const char* name : {"resource", "email", "username", "password", "reason", "code"}) {
    util::query_value(text, name);
  }
  const auto directory = users::parse_directory_query(
      util::query_value(text, "offset"), util::query_value(text, "limit"),
      util::query_value(text, "order"), util::query_value(text, "local"));
  fuzz::require(directory.value.has_value() != !directory.error.empty(),
                "a directory query is either parsed or refused with a reason");
  if (directory) {
    fuzz::require(directory->offset >= 0 && directory->limit >= 1 &&
                      directory->limit <= users::k_directory_max_limit,
                  "a parsed directory page is within Mastodon's bounds");
  }
  if (const auto decoded = util::percent_decode(text, true)) {
    fuzz::require(util::percent_decode(util::percent_encode(*decoded), false) == *decoded,
                  "percent_encode's output decodes back");
    fuzz::require(util::query_value("x=" + util::percent_encode(*decoded), "x") == *decoded,
                  "an encoded form value reads back");
  }
  if (const auto url = net::parse_url(text)) {
    fuzz::require(!url->host.empty() && url->port > 0 && url->port <= 65535 &&
                      !url->target.empty() && url->target.front() == '/',
                  "a parsed URL has a host, a port and a target starting with '/'");
    fuzz::require(federation::url_domain(text) == url->host_header(),
                  "url_domain is the Host header");
    const auto again = net::parse_url(url->to_string());
    fuzz::require(again && again->host == url->host && again->port == url->port &&
                      again->target == url->target && again->to_string() == url->to_string(),
                  "a URL rebuilt from its parts parses to the same parts");
  }
  return 0;
}
