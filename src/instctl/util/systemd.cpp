#include "instctl/util/systemd.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

// The protocol itself (sd_notify(3)): one datagram of "KEY=VALUE" lines to the AF_UNIX
// socket named by NOTIFY_SOCKET (a path, or "@name" in the abstract namespace). Written here
// rather than linked from libsystemd, which with its own dependencies (libgcrypt, liblzma,
// libzstd, liblz4, libcap) made every short command's start-up cost about a millisecond more.

namespace instctl::util::systemd {

namespace {

std::string_view env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string_view(v) : std::string_view();
}

}  // namespace

bool notify(std::string_view state) {
  const std::string_view path = env("NOTIFY_SOCKET");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() < 2 || path.size() > sizeof(addr.sun_path) - 1 ||
      (path[0] != '/' && path[0] != '@')) {
    return false;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (path[0] == '@') addr.sun_path[0] = '\0';  // the abstract namespace
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ssize_t sent = 0;
  do {
    sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&addr), len);
  } while (sent < 0 && errno == EINTR);
  ::close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

std::optional<std::chrono::microseconds> watchdog_interval() {
  const auto parse = [](std::string_view text, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
  };
  std::uint64_t usec = 0;
  if (!parse(env("WATCHDOG_USEC"), usec) || usec == 0) return std::nullopt;
  // WATCHDOG_PID, when set, names the process the manager watches (a child may inherit the
  // variables without being watched).
  if (const auto pid_text = env("WATCHDOG_PID"); !pid_text.empty()) {
    std::uint64_t pid = 0;
    if (!parse(pid_text, pid) || pid != static_cast<std::uint64_t>(::getpid())) return std::nullopt;
  }
  return std::chrono::microseconds(usec);
}

}  // namespace instctl::util::systemd
