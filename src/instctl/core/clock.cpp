#include "instctl/core/clock.hpp"

#include <chrono>
#include <cstdlib>

#include "instctl/core/error.hpp"
#include "instctl/util/time.hpp"

namespace instctl {

UnixTime SystemClock::now() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<Clock> make_process_clock() {
  const char* fixed = std::getenv("INSTCTL_NOW");
  if (fixed == nullptr || *fixed == '\0') return std::make_unique<SystemClock>();
  auto t = util::parse_time(fixed);
  if (!t) {
    throw Error(ErrorKind::usage,
                "INSTCTL_NOW is not a time: use ISO 8601 (2026-11-28T06:21:38Z) or Unix seconds");
  }
  return std::make_unique<FixedClock>(*t);
}

}  // namespace instctl
