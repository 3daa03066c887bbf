#include "instctl/activitypub/nodeinfo.hpp"

#include <fmt/format.h>

#include "instctl/version.hpp"

namespace instctl::activitypub {

namespace {
std::string schema(std::string_view version) {
  return fmt::format("http://nodeinfo.diaspora.software/ns/schema/{}", version);
}
}  // namespace

Json nodeinfo_discovery(std::string_view public_url) {
  Json links = Json::array();
  for (const char* v : {"2.0", "2.1"}) {
    links.push_back(
        Json{{"rel", schema(v)}, {"href", fmt::format("{}/nodeinfo/{}", public_url, v)}});
  }
  return Json{{"links", links}};
}

Json nodeinfo(std::string_view version, const NodeInfoData& d) {
  const Json software{{"name", "instctl"}, {"version", std::string(k_version)}};
  return Json{
      {"version", version},
      {"software", software},
      {"protocols", Json::array({"activitypub"})},
      {"services", Json{{"outbound", Json::array()}, {"inbound", Json::array()}}},
      {"usage", Json{{"users", Json{{"total", d.users_total},
                                    {"activeMonth", d.active_month},
                                    {"activeHalfyear", d.active_halfyear}}},
                     {"localPosts", 0}}},
      {"openRegistrations", d.open_registrations},
      {"metadata", Json{{"nodeName", d.node_name}, {"nodeDescription", d.node_description}}}};
}

std::string nodeinfo_content_type(std::string_view version) {
  return fmt::format("application/json; profile=\"{}#\"", schema(version));
}

}  // namespace instctl::activitypub
