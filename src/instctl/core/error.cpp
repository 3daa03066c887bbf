#include "instctl/core/error.hpp"

namespace instctl {

namespace {

std::string first_message(const Problems& problems) {
  return problems.empty() ? std::string("invalid request") : problems.front().message;
}

const char* public_sentence(ErrorKind kind, bool retry_later) {
  if (retry_later) return "The server is busy at the moment. Please try again in a minute.";
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::invalid_data:
      return "This request cannot be used. Please check it and try again.";
    case ErrorKind::not_found:
      return "This was not found here.";
    case ErrorKind::conflict:
      return "This cannot be done now: it was changed meanwhile.";
    case ErrorKind::policy:
      return "This is not allowed here.";
    case ErrorKind::remote:
      return "Another server did not answer as it should. Please try again later.";
    case ErrorKind::partial:
    case ErrorKind::internal:
      break;
  }
  return "Something went wrong on our side. Please try again later.";
}

const std::string k_no_field;

}  // namespace

Error::Error(ErrorKind kind, Problems problems)
    : std::runtime_error(first_message(problems)), m_kind(kind), m_problems(std::move(problems)) {}

const std::string& Error::field() const {
  return m_problems.empty() ? k_no_field : m_problems.front().field;
}

std::string Error::public_message() const {
  if (!m_public.empty()) return m_public;
  if (!m_problems.empty()) return m_problems.front().for_public();
  return public_sentence(m_kind, m_retry_later);
}

Problems Error::public_problems() const {
  if (!m_problems.empty()) return m_problems;
  return {Problem{"", public_message()}};
}

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::internal:
      return 1;
    case ErrorKind::usage:
      return 2;
    case ErrorKind::not_found:
      return 3;
    case ErrorKind::conflict:
      return 4;
    case ErrorKind::partial:
      return 5;
    case ErrorKind::invalid_data:
      return 6;
    case ErrorKind::remote:
      return 7;
    case ErrorKind::policy:
      return 8;
  }
  return 1;
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::internal:
      return "internal";
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::partial:
      return "partial";
    case ErrorKind::invalid_data:
      return "invalid_data";
    case ErrorKind::remote:
      return "remote";
    case ErrorKind::policy:
      return "policy";
  }
  return "internal";
}

}  // namespace instctl
