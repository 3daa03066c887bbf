#pragma once

#include "instctl/db/connection.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::instance {

// The outbound HTTP client's options for this instance: federation.allow_http,
// federation.allow_private_addresses, User-Agent "instctl/VERSION (+PUBLIC_URL)", and
// $INSTCTL_HTTP_TIMEOUT (seconds) if set. Passed to net::make_http_client.
net::ClientOptions client_options(db::Connection& db);

}  // namespace instctl::instance
