#include "instctl/instance/client_options.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/version.hpp"

namespace instctl::instance {

net::ClientOptions client_options(db::Connection& db) {
  net::ClientOptions o;
  Settings settings(db);
  o.allow_http = settings.get_bool("federation.allow_http");
  o.allow_private_addresses = settings.get_bool("federation.allow_private_addresses");
  const auto info = load(db);
  o.user_agent = fmt::format("instctl/{} (+{})", k_version, info.public_url);
  if (const char* t = std::getenv("INSTCTL_HTTP_TIMEOUT"); t != nullptr && *t != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(t, &end);
    if (end == t || *end != '\0' || seconds <= 0 || seconds > 600) {
      throw Error(ErrorKind::usage, "INSTCTL_HTTP_TIMEOUT must be a number of seconds (0-600)");
    }
    o.timeout_ms = static_cast<std::int64_t>(seconds * 1000);
  }
  return o;
}

}  // namespace instctl::instance
