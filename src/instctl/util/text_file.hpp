#pragma once

// A text file an admin points a setting at (instance.privacy_policy_file): read whole, UTF-8,
// bounded. One rule for `config set`, which refuses a file that fails it, and for the pages,
// which read the file again at each request.

#include <cstddef>
#include <string>
#include <variant>

namespace instctl::util {

inline constexpr std::size_t k_max_text_file = 256 * 1024;

struct TextFileProblem {
  std::string what;  // "cannot be read", "is larger than 256 KiB", "is not UTF-8 text"
};

// The file's text, or what is wrong with it.
std::variant<std::string, TextFileProblem> read_text_file(const std::string& path,
                                                          std::size_t max = k_max_text_file);

}  // namespace instctl::util
