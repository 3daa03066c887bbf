#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "instctl/db/env.hpp"

namespace instctl::onboarding {

// Per-client-address limits on the public POST endpoints, as the onboarding.rate_limit
// setting says (N/DURATION). Each bucket name ("sign_up", "waitlist", "invite_lookup") counts
// separately. The buckets live in the database: every thread and replica shares them, and the
// setting takes effect at the next request.
class RateLimiter {
 public:
  explicit RateLimiter(Env& env) : m_env(env) {}

  // Takes one request from the client's bucket: nothing when allowed, else the seconds until
  // the next request would be.
  std::optional<std::int64_t> take(std::string_view bucket, std::string_view client);

 private:
  Env& m_env;
};

}  // namespace instctl::onboarding
