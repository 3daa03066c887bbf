#pragma once

// A running digest of table rows (FNV-1a, 64 bits), to tell whether the rows a killed copy
// already wrote are still the source's rows. It guards against change, not against an
// adversary: whoever can write the source can write the target too.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace instctl::db {

class RowDigest {
 public:
  void add_null() { byte('N'); }
  void add_int(std::int64_t v) {
    byte('I');
    word(static_cast<std::uint64_t>(v));
  }
  void add_text(std::string_view s) {
    byte('T');
    word(s.size());
    for (char c : s) byte(static_cast<unsigned char>(c));
  }
  void end_row() { byte('\n'); }

  std::string hex() const { return fmt::format("{:016x}", m_state); }

 private:
  void byte(unsigned char b) {
    m_state ^= b;
    m_state *= 0x100000001b3ULL;
  }
  void word(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
  }
  std::uint64_t m_state = 0xcbf29ce484222325ULL;
};

}  // namespace instctl::db
