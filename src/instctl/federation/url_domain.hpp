#pragma once

#include <string>
#include <string_view>

namespace instctl::federation {

// The host of an http(s) URL with its port when not the default ("" when not a URL): the
// domain that policy rules and peers are kept for.
std::string url_domain(std::string_view url);

}  // namespace instctl::federation
