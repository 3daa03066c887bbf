#pragma once

// NodeInfo (2.0 / 2.1): what software an instance runs. No I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/activitypub/parsed.hpp"

namespace instctl::activitypub {

// The document URL from /.well-known/nodeinfo (2.1 preferred, then 2.0, then any).
Parsed<std::string> parse_nodeinfo_links(std::string_view body);

struct NodeInfo {
  std::string software_name;
  std::string software_version;
  std::optional<bool> open_registrations;
  std::optional<std::int64_t> users_total;
};
Parsed<NodeInfo> parse_nodeinfo(std::string_view body);

}  // namespace instctl::activitypub
