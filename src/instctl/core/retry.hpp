#pragma once

// The one retry rule for what instctl sends to other servers (federation deliveries, mails):
// after failure number N, wait 1 min * 2^(N-1), at most 6 h, each wait up to 25 % longer
// (jitter, so a queue that failed together does not retry together); give up once the item
// is 3 days old (some 16 attempts).

#include <cstdint>

#include "instctl/core/clock.hpp"

namespace instctl {

inline constexpr std::int64_t k_retry_first = 60;
inline constexpr std::int64_t k_retry_max = 6 * 3600;
inline constexpr std::int64_t k_retry_give_up_after = 3 * 86400;

// The delay before retry number `attempt` (1 after the first failure), without jitter.
std::int64_t retry_delay(std::int64_t attempt);

// When to try again after failure number `attempt` at `now`, `jitter` in [0, 1) stretching the
// delay by up to 25 %; never later than `give_up_at`.
UnixTime next_retry(std::int64_t attempt, UnixTime now, UnixTime give_up_at, double jitter);

}  // namespace instctl
