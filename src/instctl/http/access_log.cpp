#include "instctl/http/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

AccessLog::AccessLog(const std::string& target) {
  if (target == "-") {
    m_file = stdout;
  } else {
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd >= 0) m_file = ::fdopen(fd, "a");
    if (m_file == nullptr) {
      throw Error(ErrorKind::internal,
                  fmt::format("cannot open the access log {}: {}; give a writable file or '-' "
                              "for stdout", target, std::strerror(errno)));
    }
    m_owned = true;
  }
  std::setvbuf(m_file, nullptr, _IOLBF, 0);
}

AccessLog::~AccessLog() {
  if (m_owned) std::fclose(m_file);
  else std::fflush(m_file);
}

std::string loggable(std::string_view text) {
  constexpr std::size_t k_max = 1024;
  std::string out;
  for (const unsigned char c : text.substr(0, k_max)) {
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\') out += fmt::format("\\x{:02x}", c);
    else out.push_back(static_cast<char>(c));
  }
  if (text.size() > k_max) out += "...";
  return out;
}

void AccessLog::write(const Request& req, int status, std::size_t bytes, double ms) {
  const std::string client = client_address(req);
  const std::string line =
      fmt::format("{} {} {} {} {} {} {:.3f}ms\n", util::format_time(std::time(nullptr)),
                  client.empty() ? "-" : client, loggable(req.method),
                  loggable(req.target), status, bytes, ms);
  std::lock_guard lock(m_mutex);
  std::fputs(line.c_str(), m_file);
}

}  // namespace instctl::http
