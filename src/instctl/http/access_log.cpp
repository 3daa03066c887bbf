#include "instctl/http/access_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "instctl/core/error.hpp"
#include "instctl/util/escape.hpp"

namespace instctl::http {

AccessLog::AccessLog(const std::string& target, LogFormat format) : m_format(format) {
  if (target == "-") {
    m_file = stdout;
  } else {
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd >= 0) m_file = ::fdopen(fd, "a");
    if (m_file == nullptr) {
      throw Error(ErrorKind::internal,
                  fmt::format("cannot open the access log {}: {}; give a writable file or '-' "
                              "for stdout",
                              target, std::strerror(errno)));
    }
    m_owned = true;
  }
  std::setvbuf(m_file, nullptr, _IOLBF, 0);
}

AccessLog::~AccessLog() {
  if (m_owned)
    std::fclose(m_file);
  else
    std::fflush(m_file);
}

std::string loggable(std::string_view text) {
  constexpr std::size_t k_max = 1024;
  // Spaces and quotes separate the line's fields; a backslash would make an escape ambiguous.
  std::string out = util::escape_control(text.substr(0, k_max), " \"\\");
  if (text.size() > k_max) out += "...";
  return out;
}

std::string redact_target(std::string_view target) {
  static constexpr std::string_view k_redacted = "[redacted]";
  // Paths that end in a one-time secret: invite codes, activation and password links.
  static constexpr std::array<std::string_view, 5> k_secret_paths = {
      "/invite/", "/auth/activate/", "/auth/reset/", "/auth/password/", "/waitlist/confirm/"};
  static constexpr std::array<std::string_view, 5> k_secret_params = {"code", "state", "token",
                                                                      "access_token", "id_token"};
  const auto q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string out;
  const auto secret_path = std::find_if(k_secret_paths.begin(), k_secret_paths.end(), [&](auto p) {
    return path.size() > p.size() && path.substr(0, p.size()) == p;
  });
  if (secret_path != k_secret_paths.end()) {
    out.append(*secret_path).append(k_redacted);
  } else {
    out.append(path);
  }
  if (q == std::string_view::npos) return out;
  out.push_back('?');
  std::string_view query = target.substr(q + 1);
  bool first = true;
  while (true) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (!first) out.push_back('&');
    first = false;
    const bool secret =
        pair.find('=') != std::string_view::npos &&
        std::find(k_secret_params.begin(), k_secret_params.end(), name) != k_secret_params.end();
    if (secret)
      out.append(name).append("=").append(k_redacted);
    else
      out.append(pair);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

void AccessLog::write(const Request& req, int status, std::size_t bytes, double ms) {
  const std::string line = access_line(m_format, log_clock_millis(), req, status, bytes, ms);
  std::lock_guard lock(m_mutex);
  std::fputs(line.c_str(), m_file);
}

}  // namespace instctl::http
