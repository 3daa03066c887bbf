#include "instctl/core/byte_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "instctl/core/error.hpp"

namespace instctl {

namespace {
constexpr std::size_t k_buffer = 1 << 16;
constexpr std::size_t k_max_lookahead = 1 << 20;
}  // namespace

ByteReader::ByteReader(const std::string& path) : m_buf(k_buffer) {
  if (path == "-") {
    m_fd = STDIN_FILENO;
    m_name = "stdin";
  } else {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    m_name = path;
    if (m_fd < 0) {
      throw Error(ErrorKind::internal,
                  fmt::format("cannot read {}: {}; check the path and its permissions", path,
                              std::strerror(errno)));
    }
    m_owns_fd = true;
  }
  struct stat st {};
  if (::fstat(m_fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      throw Error(ErrorKind::internal, fmt::format("{} is a directory: give a file", path));
    }
    if (S_ISREG(st.st_mode)) m_size = static_cast<std::uint64_t>(st.st_size);
  }
}

ByteReader ByteReader::from_string(std::string data) {
  ByteReader r;
  r.m_name = "string";
  r.m_size = data.size();
  r.m_buf.assign(data.begin(), data.end());
  r.m_end = r.m_buf.size();
  r.m_from_string = true;
  return r;
}

ByteReader::ByteReader(ByteReader&& o) noexcept
    : m_fd(o.m_fd),
      m_owns_fd(o.m_owns_fd),
      m_name(std::move(o.m_name)),
      m_buf(std::move(o.m_buf)),
      m_pos(o.m_pos),
      m_end(o.m_end),
      m_consumed_before(o.m_consumed_before),
      m_size(o.m_size),
      m_from_string(o.m_from_string) {
  o.m_fd = -1;
  o.m_owns_fd = false;
}

ByteReader::~ByteReader() {
  if (m_owns_fd && m_fd >= 0) ::close(m_fd);
}

// Keeps the unconsumed bytes, moved to the front, and appends what the file has next.
bool ByteReader::refill() {
  if (m_from_string || m_fd < 0) return m_pos < m_end;
  if (m_pos > 0) {
    std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
    m_consumed_before += m_pos;
    m_end -= m_pos;
    m_pos = 0;
  }
  if (m_end == m_buf.size()) m_buf.resize(m_buf.size() * 2);
  for (;;) {
    const ssize_t n = ::read(m_fd, m_buf.data() + m_end, m_buf.size() - m_end);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw Error(ErrorKind::internal,
                  fmt::format("reading {} failed: {}", m_name, std::strerror(errno)));
    }
    m_end += static_cast<std::size_t>(n);
    return m_pos < m_end;
  }
}

int ByteReader::peek_at(std::size_t offset) {
  while (m_end - m_pos <= offset) {
    const std::size_t before = m_end - m_pos;
    if (!refill() || m_end - m_pos == before) return k_eof;
  }
  return static_cast<unsigned char>(m_buf[m_pos + offset]);
}

void ByteReader::skip_bom() {
  if (peek_at(0) == 0xEF && peek_at(1) == 0xBB && peek_at(2) == 0xBF) m_pos += 3;
}

int ByteReader::first_significant_byte() {
  std::size_t i = m_pos;
  for (;;) {
    for (; i < m_end; ++i) {
      const char c = m_buf[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return static_cast<unsigned char>(c);
    }
    if (i - m_pos >= k_max_lookahead) return ' ';
    const std::size_t offset = i - m_pos;
    const std::size_t before = m_end - m_pos;
    if (!refill() || m_end - m_pos == before) return k_eof;
    i = m_pos + offset;
  }
}

}  // namespace instctl
