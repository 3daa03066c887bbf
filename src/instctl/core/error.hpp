#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

// One problem with one input of a request ("username", "email", "password"; "" for the
// request as a whole). `message` is the operator's (the command line, the log: it may name
// the account that holds an address, or a command to run); `public_message` is what a person
// at a web form may read, when it must differ ("" when `message` is fit for both).
struct Problem {
  std::string field;
  std::string message;
  std::string public_message{};

  const std::string& for_public() const {
    return public_message.empty() ? message : public_message;
  }
};

// Everything wrong with a request, found by a service's validate(request) in one pass.
using Problems = std::vector<Problem>;

// An error has a kind (the exit code, the HTTP status), the operator's message (what(): for
// the command line and the log), a public message (safe for a web page or an HTTP body) and,
// when input was checked, its problems, field by field.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  // A problem with one input, worded alike for the operator and a person at a form.
  Error(ErrorKind kind, const std::string& message, std::string field)
      : Error(kind, Problems{Problem{std::move(field), message}}) {}
  // Every problem of a request; what() is the first one's message.
  Error(ErrorKind kind, Problems problems);

  // The public message of an error that is not about one input ("" keeps the kind's).
  Error& with_public(std::string text) & {
    m_public = std::move(text);
    return *this;
  }
  Error&& with_public(std::string text) && { return std::move(with_public(std::move(text))); }
  // A failure that passes (a database busy with another writer): the request may simply be
  // made again. HTTP answers 503; the exit code stays the kind's.
  Error&& temporary() && {
    m_retry_later = true;
    return std::move(*this);
  }

  ErrorKind kind() const { return m_kind; }
  // The first problem's input ("" when the error is about no input).
  const std::string& field() const;
  const Problems& problems() const { return m_problems; }
  bool retry_later() const { return m_retry_later; }
  // Whether the error was worded for a person too (a public message or problems): a refusal
  // a form or page may show as it is. Otherwise it is a failure, shown only as its kind's
  // sentence.
  bool has_public_message() const { return !m_public.empty() || !m_problems.empty(); }
  // What a form shows: the problems, or the public message as the form's one problem.
  Problems public_problems() const;
  // For a person: the one given, else the first problem's, else a sentence for the kind that
  // tells nothing of the operator's message.
  std::string public_message() const;

 private:
  ErrorKind m_kind;
  Problems m_problems;
  std::string m_public;
  bool m_retry_later = false;
};

// The exit code of the command line for an error kind.
int exit_code(ErrorKind kind);
// A stable snake_case name for JSON error objects.
const char* kind_name(ErrorKind kind);

}  // namespace instctl
