#include "instctl/users/directory_query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {

std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t n = 0;
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, n);
  if (text.empty() || r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return n;
}

}  // namespace

activitypub::Parsed<DirectoryQuery> parse_directory_query(const std::optional<std::string>& offset,
                                                          const std::optional<std::string>& limit,
                                                          const std::optional<std::string>& order,
                                                          const std::optional<std::string>& local) {
  using P = activitypub::Parsed<DirectoryQuery>;
  DirectoryQuery q;
  if (offset) {
    const auto n = whole_number(*offset);
    if (!n || *n < 0) return P::fail("offset must be a whole number, 0 or more");
    q.offset = *n;
  }
  if (limit) {
    const auto n = whole_number(*limit);
    if (!n || *n < 1)
      return P::fail(
          fmt::format("limit must be a whole number from 1 to {}", k_directory_max_limit));
    q.limit = std::min(*n, k_directory_max_limit);
  }
  if (order && !order->empty()) {
    if (*order == "active")
      q.order = DirectoryOrder::active;
    else if (*order == "new")
      q.order = DirectoryOrder::newest;
    else
      return P::fail("order must be active or new");
  }
  if (local && !local->empty()) {
    const auto l = util::to_lower(*local);
    if (l == "true" || l == "1")
      q.local = true;
    else if (l == "false" || l == "0")
      q.local = false;
    else
      return P::fail("local must be true or false");
  }
  return P::ok(q);
}

}  // namespace instctl::users
