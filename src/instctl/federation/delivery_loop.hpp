#pragma once

// The delivery worker of `instctl serve`: a background thread with its own database connection
// that delivers due jobs in small batches and polls for new ones when idle. Other workers
// (`federation deliver --loop`, another serve) may run at the same time: jobs are claimed.
//
//   federation::DeliveryLoop loop(db_path, clock, on_error);   // starts the thread
//   ...
//   loop.stop();   // finishes the delivery in hand, then joins (also done by the destructor)

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/poll_loop.hpp"

namespace instctl::federation {

class DeliveryLoop {
 public:
  using Log = std::function<void(std::string_view)>;
  DeliveryLoop(std::string db_path, const Clock& clock, Log log,
               std::chrono::milliseconds idle_poll = std::chrono::seconds(1));
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void stop() { m_loop.stop(); }

  // When the worker last showed it is alive (between batches and after each delivery);
  // nullopt once its thread has ended (stopped, or failed to start). Any thread may ask.
  std::optional<std::chrono::steady_clock::time_point> heartbeat() const;

 private:
  PollLoop m_loop;
};

}  // namespace instctl::federation
