#include "instctl/subscriptions/list_fetch.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl::subscriptions {

FetchedList fetch_list(net::HttpClient& client, const Subscription& s) {
  net::HttpRequest req;
  req.url = s.url;
  req.headers = {{"Accept", "text/csv, application/json, text/plain"}};
  if (s.etag) req.headers.push_back({"If-None-Match", *s.etag});
  if (s.last_modified) req.headers.push_back({"If-Modified-Since", *s.last_modified});
  const net::HttpResponse res = client.send(req);
  FetchedList out;
  if (res.status == 304) {
    out.unchanged = true;
    return out;
  }
  if (res.status != 200) {
    throw Error(ErrorKind::remote,
                fmt::format("{} answered HTTP {}; the last good copy of the list is kept", s.url,
                            res.status));
  }
  out.body = res.body;
  out.etag = res.header("ETag");
  out.last_modified = res.header("Last-Modified");
  return out;
}

}  // namespace instctl::subscriptions
