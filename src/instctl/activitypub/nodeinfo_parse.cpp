#include "instctl/activitypub/nodeinfo_parse.hpp"

#include "instctl/core/json.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::activitypub {

Parsed<std::string> parse_nodeinfo_links(std::string_view body) {
  auto parsed = parse_untrusted_json(body);
  if (!parsed)
    return Parsed<std::string>::fail("the NodeInfo index is not JSON (or nests too deep)");
  Json doc = std::move(*parsed);
  if (!doc.is_object() || !doc.contains("links") || !doc["links"].is_array()) {
    return Parsed<std::string>::fail("the NodeInfo index has no links");
  }
  std::string best;
  int best_rank = 0;
  for (const auto& l : doc["links"]) {
    if (!l.is_object() || !l.contains("href") || !l["href"].is_string()) continue;
    const auto rel = l.value("rel", Json("")).is_string() ? l.value("rel", std::string()) : "";
    const auto href = l["href"].get<std::string>();
    if (!util::starts_with_ci(href, "https://") && !util::starts_with_ci(href, "http://")) continue;
    int rank = 1;
    if (rel.ends_with("/ns/schema/2.0")) rank = 2;
    if (rel.ends_with("/ns/schema/2.1")) rank = 3;
    if (rank > best_rank) {
      best = href;
      best_rank = rank;
    }
  }
  if (best.empty()) return Parsed<std::string>::fail("the NodeInfo index names no document");
  return Parsed<std::string>::ok(best);
}

Parsed<NodeInfo> parse_nodeinfo(std::string_view body) {
  auto parsed = parse_untrusted_json(body);
  if (!parsed)
    return Parsed<NodeInfo>::fail("the NodeInfo document is not JSON (or nests too deep)");
  Json doc = std::move(*parsed);
  if (!doc.is_object() || !doc.contains("software") || !doc["software"].is_object()) {
    return Parsed<NodeInfo>::fail("the NodeInfo document names no software");
  }
  NodeInfo n;
  const auto& sw = doc["software"];
  if (sw.contains("name") && sw["name"].is_string())
    n.software_name = sw["name"].get<std::string>();
  if (sw.contains("version") && sw["version"].is_string())
    n.software_version = sw["version"].get<std::string>();
  if (n.software_name.empty())
    return Parsed<NodeInfo>::fail("the NodeInfo document names no software");
  if (doc.contains("openRegistrations") && doc["openRegistrations"].is_boolean()) {
    n.open_registrations = doc["openRegistrations"].get<bool>();
  }
  if (doc.contains("usage") && doc["usage"].is_object() && doc["usage"].contains("users") &&
      doc["usage"]["users"].is_object() && doc["usage"]["users"].contains("total") &&
      doc["usage"]["users"]["total"].is_number_integer()) {
    n.users_total = doc["usage"]["users"]["total"].get<std::int64_t>();
  }
  return Parsed<NodeInfo>::ok(std::move(n));
}

}  // namespace instctl::activitypub
