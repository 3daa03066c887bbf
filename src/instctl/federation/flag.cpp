#include "instctl/federation/flag.hpp"

#include "instctl/activitypub/object_ref.hpp"

namespace instctl::federation {

using activitypub::uri_of;

std::optional<IncomingFlag> parse_flag(const Json& a, std::string_view actor_domain) {
  if (!a.is_object() || !a.contains("type") || !activitypub::has_type(a, "Flag"))
    return std::nullopt;
  IncomingFlag f;
  f.actor_domain = std::string(actor_domain);
  if (a.contains("id") && a["id"].is_string()) f.activity_id = a["id"].get<std::string>();
  if (a.contains("actor")) f.actor_uri = uri_of(a["actor"]).value_or("");
  if (a.contains("object")) {
    const Json& o = a["object"];
    if (o.is_array()) {
      for (const auto& item : o) {
        if (auto u = uri_of(item)) f.object_uris.push_back(*u);
      }
    } else if (auto u = uri_of(o)) {
      f.object_uris.push_back(*u);
    }
  }
  if (a.contains("content") && a["content"].is_string())
    f.content = a["content"].get<std::string>();
  if (f.actor_uri.empty() || f.object_uris.empty()) return std::nullopt;
  return f;
}

Json build_flag(std::string_view id, std::string_view instance_actor_url,
                std::string_view target_actor_uri, const std::vector<std::string>& status_urls,
                std::string_view comment) {
  Json object = Json::array({target_actor_uri});
  for (const auto& s : status_urls) object.push_back(s);
  return Json{{"@context", "https://www.w3.org/ns/activitystreams"},
              {"id", id},
              {"type", "Flag"},
              {"actor", instance_actor_url},
              {"content", comment},
              {"object", object}};
}

}  // namespace instctl::federation
