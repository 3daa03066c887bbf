#include "instctl/onboarding/rate_limiter.hpp"

#include "instctl/instance/settings.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/onboarding/web_store.hpp"
#include "instctl/util/token_bucket.hpp"

namespace instctl::onboarding {

std::optional<std::int64_t> RateLimiter::take(std::string_view bucket, std::string_view client) {
  const auto setting = instance::Settings(m_env.db).get("onboarding.rate_limit");
  // The setting is validated when set; a value that is unreadable anyway limits strictly.
  const auto limits = util::parse_rate(setting).value_or(util::TokenBucket(1, 3600));
  const auto now = m_env.clock.now();
  db::Transaction tx(m_env.db);
  WebStore store(m_env.db);
  auto state = store.bucket(bucket, client).value_or(limits.fresh(now));
  const auto decision = limits.take(state, now);
  store.save_bucket(bucket, client, state);
  // Buckets untouched for a whole refill period are full again: forget them.
  store.prune_buckets(now - limits.refill_seconds());
  tx.commit();
  if (decision.allowed) return std::nullopt;
  metrics::count_rate_limited();
  return decision.retry_after;
}

}  // namespace instctl::onboarding
