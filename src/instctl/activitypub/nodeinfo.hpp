#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "instctl/core/json.hpp"

namespace instctl::activitypub {

struct NodeInfoData {
  std::int64_t users_total = 0;
  std::int64_t active_month = 0;
  std::int64_t active_halfyear = 0;
  bool open_registrations = false;
  std::string node_name;
  std::string node_description;
};

// /.well-known/nodeinfo: links to the 2.0 and 2.1 documents.
Json nodeinfo_discovery(std::string_view public_url);
// The NodeInfo document in schema version "2.0" or "2.1".
Json nodeinfo(std::string_view version, const NodeInfoData& data);
// The Content-Type NodeInfo asks for (its schema as a profile).
std::string nodeinfo_content_type(std::string_view version);

}  // namespace instctl::activitypub
