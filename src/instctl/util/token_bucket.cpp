#include "instctl/util/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "instctl/util/time.hpp"

namespace instctl::util {

TokenBucket::TokenBucket(std::int64_t capacity, std::int64_t refill_seconds)
    : m_capacity(std::max<std::int64_t>(1, capacity)),
      m_refill_seconds(std::max<std::int64_t>(1, refill_seconds)) {}

void TokenBucket::refill(State& state, std::int64_t now) const {
  // A clock that went backwards refills nothing (and never drains).
  const auto elapsed = std::max<std::int64_t>(0, now - state.updated_at);
  // elapsed * capacity first, so whole refill periods come out exact.
  const double added = static_cast<double>(elapsed) * static_cast<double>(m_capacity) /
                       static_cast<double>(m_refill_seconds);
  state.tokens = std::min(static_cast<double>(m_capacity), state.tokens + added);
  state.updated_at = std::max(state.updated_at, now);
}

TokenBucket::Decision TokenBucket::take(State& state, std::int64_t now) const {
  refill(state, now);
  if (state.tokens >= 1.0) {
    state.tokens -= 1.0;
    return {true, 0};
  }
  const double per_token = static_cast<double>(m_refill_seconds) / static_cast<double>(m_capacity);
  const auto wait = static_cast<std::int64_t>(std::ceil((1.0 - state.tokens) * per_token));
  return {false, std::max<std::int64_t>(1, wait)};
}

bool TokenBucket::is_full(const State& state, std::int64_t now) const {
  State s = state;
  refill(s, now);
  return s.tokens >= static_cast<double>(m_capacity);
}

std::optional<TokenBucket> parse_rate(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto count = text.substr(0, slash);
  if (count.empty() || count.size() > 7 || count.find_first_not_of("0123456789") != count.npos) {
    return std::nullopt;
  }
  const auto n = std::stoll(std::string(count));
  const auto seconds = parse_duration(text.substr(slash + 1));
  if (n < 1 || n > 1'000'000 || !seconds || *seconds < 1) return std::nullopt;
  return TokenBucket(n, *seconds);
}

}  // namespace instctl::util
