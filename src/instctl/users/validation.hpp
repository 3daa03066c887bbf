#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace instctl::users {

// Each returns why a value is unacceptable, or nothing when it is fine. Bulk imports report
// the reason per row; single commands throw it as a usage error.
std::optional<std::string> username_problem(std::string_view username);
std::optional<std::string> email_problem(std::string_view email);
std::optional<std::string> display_name_problem(std::string_view name);
std::optional<std::string> note_problem(std::string_view note);

bool is_reserved_username(std::string_view username);

// The key that makes usernames unique regardless of case.
std::string username_key(std::string_view username);
// Trims and lower-cases the domain part; the local part keeps its case for display.
std::string normalize_email(std::string_view email);
// The key that makes email addresses unique: the normalised address in lower case.
std::string email_key(std::string_view email);
// The domain of an email address (lower case), or "" when there is none.
std::string email_domain(std::string_view email);

// Throwing forms for single commands (ErrorKind::usage).
std::string require_valid_username(std::string_view username);
std::string require_valid_email(std::string_view email);
void require_valid_display_name(std::string_view name);
void require_valid_note(std::string_view note);

}  // namespace instctl::users
