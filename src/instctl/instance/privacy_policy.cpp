#include "instctl/instance/privacy_policy.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/text_file.hpp"

namespace instctl::instance {

bool has_privacy_policy(db::Connection& db) {
  return !Settings(db).get("instance.privacy_policy_file").empty();
}

std::optional<PrivacyPolicy> privacy_policy(db::Connection& db) {
  const auto path = Settings(db).get("instance.privacy_policy_file");
  if (path.empty()) return std::nullopt;
  auto read = util::read_text_file(path);
  if (const auto* p = std::get_if<util::TextFileProblem>(&read)) {
    throw Error(ErrorKind::internal,
                fmt::format("the privacy policy file {} (instance.privacy_policy_file) {}; fix the "
                            "file or the setting",
                            path, p->what));
  }
  struct stat st {};
  const UnixTime mtime = ::stat(path.c_str(), &st) == 0 ? static_cast<UnixTime>(st.st_mtime) : 0;
  return PrivacyPolicy{std::get<std::string>(std::move(read)), mtime};
}

PolicyRead read_privacy_policy(db::Connection& db) {
  try {
    return {privacy_policy(db), ""};
  } catch (const Error& e) {
    return {std::nullopt, e.what()};
  }
}

}  // namespace instctl::instance
