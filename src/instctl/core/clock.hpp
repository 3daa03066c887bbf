#pragma once

#include <cstdint>
#include <memory>

namespace instctl {

// Seconds since the Unix epoch. Everything that depends on "now" asks a Clock, so tests can
// move time instead of sleeping.
using UnixTime = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixTime now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixTime t) : m_now(t) {}
  UnixTime now() const override { return m_now; }
  void advance(std::int64_t seconds) { m_now += seconds; }

 private:
  UnixTime m_now;
};

// The clock of the process: the system clock, or the time in $INSTCTL_NOW (ISO 8601 or Unix
// seconds) when it is set, which the end-to-end tests use to test expiry without sleeping.
std::unique_ptr<Clock> make_process_clock();

}  // namespace instctl
