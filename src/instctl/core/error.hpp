#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace instctl {

// What went wrong, in the terms of the command line's exit codes (see instctl(1)).
enum class ErrorKind {
  internal,      // 1: failure not covered below (I/O, internal error)
  usage,         // 2: bad argument syntax, unknown key, missing confirmation
  not_found,     // 3: the named thing does not exist
  conflict,      // 4: already exists, already used, invalid state
  partial,       // 5: some items of a bulk operation failed
  invalid_data,  // 6: a file or document that cannot be parsed at all
  remote,        // 7: network or federation peer error
  policy,        // 8: refused by policy
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  // `field`: the input the error is about ("username", "email", "password"), so a form can
  // show it next to that field.
  Error(ErrorKind kind, const std::string& message, std::string field)
      : std::runtime_error(message), m_kind(kind), m_field(std::move(field)) {}
  ErrorKind kind() const { return m_kind; }
  const std::string& field() const { return m_field; }

 private:
  ErrorKind m_kind;
  std::string m_field;
};

// The exit code of the command line for an error kind.
int exit_code(ErrorKind kind);
// A stable snake_case name for JSON error objects.
const char* kind_name(ErrorKind kind);

}  // namespace instctl
