#pragma once

#include <optional>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::instance {

// Whether instance.privacy_policy_file is set (the pages' footer links /privacy-policy then).
bool has_privacy_policy(db::Connection& db);
struct PrivacyPolicy {
  std::string text;     // Markdown or plain text
  UnixTime updated_at;  // the file's modification time
};
// The text of instance.privacy_policy_file, read now (an admin edits the file, not the
// database); nullopt when the setting is empty. Throws Error(internal) naming the file and the
// fix when it cannot be read, is not UTF-8 or is larger than 256 KiB (util::read_text_file,
// which `config set` checks too).
std::optional<PrivacyPolicy> privacy_policy(db::Connection& db);

// The same for the page and the API, which answer 404 either way: no policy, or the reason the
// file could not be read (`problem`, for the error log).
struct PolicyRead {
  std::optional<PrivacyPolicy> policy;
  std::string problem;
};
PolicyRead read_privacy_policy(db::Connection& db);

}  // namespace instctl::instance
