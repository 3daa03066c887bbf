#include "instctl/util/systemd.hpp"

#include <string>

#ifdef INSTCTL_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace instctl::util::systemd {

#ifdef INSTCTL_HAVE_LIBSYSTEMD

bool notify(std::string_view state) {
  const std::string text(state);
  return sd_notify(0, text.c_str()) > 0;
}

std::optional<std::chrono::microseconds> watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

#else

bool notify(std::string_view) { return false; }
std::optional<std::chrono::microseconds> watchdog_interval() { return std::nullopt; }

#endif

}  // namespace instctl::util::systemd
