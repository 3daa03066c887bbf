#include "instctl/users/validation.hpp"

#include <fmt/format.h>

#include <array>

#include "instctl/core/error.hpp"
#include "instctl/util/address.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {

// Names that would collide with routes, well-known roles or impersonate staff.
constexpr std::array<std::string_view, 34> k_reserved = {
    "admin",     "administrator", "root",     "actor",    "inbox",      "outbox",   "api",
    "about",     "abuse",         "auth",     "health",   "help",       "instance", "invite",
    "mod",       "moderator",     "nodeinfo", "noreply",  "no_reply",   "owner",    "postmaster",
    "security",  "settings",      "staff",    "support",  "system",     "users",    "waitlist",
    "webmaster", "hostmaster",    "info",     "mastodon", "well_known", "instctl"};

constexpr std::size_t k_max_username = 30;

}  // namespace

bool is_reserved_username(std::string_view username) {
  const auto key = username_key(username);
  for (auto r : k_reserved) {
    if (key == r) return true;
  }
  return false;
}

std::string username_key(std::string_view username) { return util::to_lower(username); }

std::optional<std::string> username_problem(std::string_view u) {
  if (u.empty()) return "the username is empty";
  if (u.size() > k_max_username) {
    return fmt::format("the username is longer than {} characters", k_max_username);
  }
  for (char c : u) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "the username may contain only letters, digits and underscores";
  }
  if (is_reserved_username(u)) return fmt::format("the username '{}' is reserved", u);
  return std::nullopt;
}

std::string normalize_email(std::string_view raw) {
  const auto e = util::trim(raw);
  const auto at = e.rfind('@');
  if (at == std::string_view::npos) return std::string(e);
  return std::string(e.substr(0, at + 1)) + util::to_lower(e.substr(at + 1));
}

std::string email_key(std::string_view email) { return util::to_lower(normalize_email(email)); }

std::string email_domain(std::string_view email) {
  const auto e = normalize_email(email);
  const auto at = e.rfind('@');
  return at == std::string::npos ? std::string() : e.substr(at + 1);
}

std::optional<std::string> email_problem(std::string_view raw) {
  return util::email_problem(normalize_email(raw));
}

std::optional<std::string> display_name_problem(std::string_view name) {
  if (!util::is_valid_utf8(name)) return "the display name is not valid UTF-8";
  if (util::utf8_width(name) > 30) return "the display name is longer than 30 characters";
  if (name.find_first_of("\r\n") != std::string_view::npos)
    return "the display name has a line break";
  return std::nullopt;
}

std::optional<std::string> note_problem(std::string_view note) {
  if (!util::is_valid_utf8(note)) return "the note is not valid UTF-8";
  if (util::utf8_width(note) > 500) return "the note is longer than 500 characters";
  return std::nullopt;
}

namespace {
void require(const std::optional<std::string>& problem, const char* field) {
  if (problem) throw Error(ErrorKind::usage, *problem, field);
}
}  // namespace

std::string require_valid_username(std::string_view u) {
  require(username_problem(u), "username");
  return std::string(u);
}

std::string require_valid_email(std::string_view e) {
  require(email_problem(e), "email");
  return normalize_email(e);
}

void require_valid_display_name(std::string_view n) {
  require(display_name_problem(n), "display_name");
}
void require_valid_note(std::string_view n) { require(note_problem(n), "note"); }

}  // namespace instctl::users
