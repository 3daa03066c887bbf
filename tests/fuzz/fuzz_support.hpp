#pragma once

// Shared by the fuzz targets: splitting one input into parts, and checks of properties that
// stop the run like a crash (libFuzzer then saves the input).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace instctl::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text up to the first '\n' (removed from `s`), or all of it.
inline std::string_view take_line(std::string_view& s) {
  const auto nl = s.find('\n');
  const std::string_view line = s.substr(0, nl);
  s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  return line;
}

// A property the parser promises; a violation aborts so that libFuzzer keeps the input.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: property violated: %s\n", what);
  std::abort();
}

}  // namespace instctl::fuzz
