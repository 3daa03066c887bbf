#include "instctl/core/error.hpp"

namespace instctl {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::internal: return 1;
    case ErrorKind::usage: return 2;
    case ErrorKind::not_found: return 3;
    case ErrorKind::conflict: return 4;
    case ErrorKind::partial: return 5;
    case ErrorKind::invalid_data: return 6;
    case ErrorKind::remote: return 7;
    case ErrorKind::policy: return 8;
  }
  return 1;
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::internal: return "internal";
    case ErrorKind::usage: return "usage";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::partial: return "partial";
    case ErrorKind::invalid_data: return "invalid_data";
    case ErrorKind::remote: return "remote";
    case ErrorKind::policy: return "policy";
  }
  return "internal";
}

}  // namespace instctl
