#pragma once

// What an operator does to the delivery queue by hand (`federation queue retry|drop`): each
// change in one transaction with its audit entry.

#include <cstdint>

#include "instctl/db/env.hpp"
#include "instctl/federation/delivery_store.hpp"

namespace instctl::federation {

class DeliveryAdmin {
 public:
  explicit DeliveryAdmin(Env& env) : m_env(env) {}

  // A pending or dead job due again now, with a fresh retry window. Throws not_found for an
  // unknown id and conflict for a job being delivered or already delivered.
  void retry(std::int64_t id);
  // Every dead job due again now; returns how many.
  std::int64_t retry_dead();
  // Removes a job without delivering it; returns it as it was. Throws not_found.
  DeliveryJob drop(std::int64_t id);

 private:
  Env& m_env;
};

}  // namespace instctl::federation
