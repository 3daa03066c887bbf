#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/util/token_bucket.hpp"

namespace instctl::onboarding {

// SQL for the web pages' own state: their secrets and the rate limits' buckets.
class WebStore {
 public:
  explicit WebStore(db::Connection& db) : m_db(db) {}

  // The secret called `name`, made from `fresh` the first time (concurrent first uses agree on
  // one value).
  std::string secret(std::string_view name, std::string_view fresh, UnixTime now);

  std::optional<util::TokenBucket::State> bucket(std::string_view bucket, std::string_view client);
  void save_bucket(std::string_view bucket, std::string_view client,
                   const util::TokenBucket::State& state);
  // Forgets buckets untouched since `before` (full again by now).
  void prune_buckets(UnixTime before);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::onboarding
