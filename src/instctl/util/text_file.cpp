#include "instctl/util/text_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "instctl/util/strings.hpp"

namespace instctl::util {

std::variant<std::string, TextFileProblem> read_text_file(const std::string& path,
                                                          std::size_t max) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return TextFileProblem{"is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return TextFileProblem{"cannot be read"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return TextFileProblem{"cannot be read"};
  auto s = std::move(text).str();
  if (s.size() > max) return TextFileProblem{fmt::format("is larger than {} KiB", max / 1024)};
  if (!is_valid_utf8(s)) return TextFileProblem{"is not UTF-8 text"};
  return s;
}

}  // namespace instctl::util
