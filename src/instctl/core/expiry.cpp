#include "instctl/core/expiry.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/time.hpp"

namespace instctl {

std::optional<UnixTime> parse_expiry(const std::optional<std::string>& in,
                                     const std::optional<std::string>& at, UnixTime now) {
  if (in && at) throw Error(ErrorKind::usage, "give --expires-in or --expires-at, not both");
  if (in) {
    const auto d = util::parse_duration(*in);
    if (!d) {
      throw Error(ErrorKind::usage, fmt::format("--expires-in '{}' is not a duration: use 30m, "
                                                "12h, 7d, 2w or seconds (at most 100 years)",
                                                *in));
    }
    return now + *d;
  }
  if (at) {
    const auto t = util::parse_time(*at);
    if (!t) {
      throw Error(ErrorKind::usage,
                  fmt::format("--expires-at '{}' is not a time: use 2026-12-31T23:59:59Z or "
                              "2026-12-31 (up to year 9999)",
                              *at));
    }
    if (*t <= now) {
      throw Error(ErrorKind::usage, fmt::format("--expires-at {} has already passed", *at));
    }
    return *t;
  }
  return std::nullopt;
}

}  // namespace instctl
