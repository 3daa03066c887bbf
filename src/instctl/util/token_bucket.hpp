#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace instctl::util {

// A token bucket: `capacity` requests at once, refilled evenly so that an empty bucket is full
// again after `refill_seconds`. Pure arithmetic on a state the caller keeps (in memory or in
// a database row); times are Unix seconds from the caller's clock.
class TokenBucket {
 public:
  struct State {
    double tokens = 0;
    std::int64_t updated_at = 0;
  };
  struct Decision {
    bool allowed = false;
    std::int64_t retry_after = 0;  // seconds until a token is back, when refused
  };

  TokenBucket(std::int64_t capacity, std::int64_t refill_seconds);

  // A full bucket, as a client that was never seen has.
  State fresh(std::int64_t now) const { return {static_cast<double>(m_capacity), now}; }
  // Refills `state` up to `now`, then takes one token if there is one.
  Decision take(State& state, std::int64_t now) const;
  // True when the bucket would be full by `now` (its state can be forgotten).
  bool is_full(const State& state, std::int64_t now) const;

  std::int64_t capacity() const { return m_capacity; }
  std::int64_t refill_seconds() const { return m_refill_seconds; }

 private:
  void refill(State& state, std::int64_t now) const;
  std::int64_t m_capacity;
  std::int64_t m_refill_seconds;
};

// "N/DURATION" (e.g. 10/1h: 10 requests at once, one more every 6 minutes), N from 1 to
// 1000000, DURATION as util::parse_duration reads it; nullopt when malformed.
std::optional<TokenBucket> parse_rate(std::string_view text);

}  // namespace instctl::util
