#include "instctl/instance/privacy_policy.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::instance {

namespace {
constexpr std::size_t k_max_size = 256 * 1024;
}

bool has_privacy_policy(db::Connection& db) {
  return !Settings(db).get("instance.privacy_policy_file").empty();
}

std::optional<std::string> privacy_policy(db::Connection& db) {
  const auto path = Settings(db).get("instance.privacy_policy_file");
  if (path.empty()) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  const auto problem = !in ? "cannot be read" : text.str().size() > k_max_size ? "is larger than 256 KiB"
                       : !util::is_valid_utf8(text.str()) ? "is not UTF-8 text" : "";
  if (*problem) {
    throw Error(ErrorKind::internal,
                fmt::format("the privacy policy file {} (instance.privacy_policy_file) {}; fix the "
                            "file or the setting",
                            path, problem));
  }
  return text.str();
}

}  // namespace instctl::instance
