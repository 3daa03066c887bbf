#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace instctl {

// A buffered, forward-only reader of a file or stdin, for parsers that stream input of any
// size in bounded memory. It counts the bytes consumed (for progress) and knows the size of a
// regular file.
class ByteReader {
 public:
  static constexpr int k_eof = -1;

  // "-" is stdin. Throws Error(internal) naming the file when it cannot be opened.
  explicit ByteReader(const std::string& path);
  // Reads from a string (tests).
  static ByteReader from_string(std::string data);
  ~ByteReader();
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;
  ByteReader(ByteReader&&) noexcept;

  int get() {
    if (m_pos == m_end && !refill()) return k_eof;
    return static_cast<unsigned char>(m_buf[m_pos++]);
  }
  int peek() {
    if (m_pos == m_end && !refill()) return k_eof;
    return static_cast<unsigned char>(m_buf[m_pos]);
  }
  // The byte `offset` positions ahead (0 is peek()), without consuming anything.
  int peek_at(std::size_t offset);
  // Skips a UTF-8 byte order mark at the current position (the start of the input).
  void skip_bom();
  // The first non-whitespace byte ahead, without consuming anything (format detection);
  // k_eof when the input holds only whitespace. Looks at most one buffer ahead.
  int first_significant_byte();

  std::uint64_t consumed() const { return m_consumed_before + m_pos; }
  // The size of a regular file; none for pipes and terminals.
  std::optional<std::uint64_t> size() const { return m_size; }
  const std::string& name() const { return m_name; }

 private:
  ByteReader() = default;
  bool refill();

  int m_fd = -1;
  bool m_owns_fd = false;
  std::string m_name;
  std::vector<char> m_buf;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  std::uint64_t m_consumed_before = 0;
  std::optional<std::uint64_t> m_size;
  std::string m_source;  // from_string
  bool m_from_string = false;
};

}  // namespace instctl
