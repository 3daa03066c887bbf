#include "instctl/core/retry.hpp"

#include <algorithm>

namespace instctl {

std::int64_t retry_delay(std::int64_t attempt) {
  std::int64_t d = k_retry_first;
  for (std::int64_t i = 1; i < attempt && d < k_retry_max; ++i) d *= 2;
  return std::min(d, k_retry_max);
}

UnixTime next_retry(std::int64_t attempt, UnixTime now, UnixTime give_up_at, double jitter) {
  const auto base = retry_delay(attempt);
  return std::min(now + base + static_cast<std::int64_t>(base * 0.25 * jitter), give_up_at);
}

}  // namespace instctl
