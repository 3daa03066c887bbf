#pragma once

// systemd's notification protocol (sd_notify(3)):
// serve says READY=1 once it listens, STOPPING=1 when it begins to stop, and WATCHDOG=1 while
// its readiness checks pass, when the unit sets WatchdogSec. Without NOTIFY_SOCKET in the
// environment (not started by systemd with Type=notify), these do
// nothing.

#include <chrono>
#include <optional>
#include <string_view>

namespace instctl::util::systemd {

// Sends `state` ("READY=1", "WATCHDOG=1", ...) to the service manager; false when there is
// none to tell.
bool notify(std::string_view state);

// The interval the service manager expects WATCHDOG=1 within (WATCHDOG_USEC), when it
// watches this process.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace instctl::util::systemd
