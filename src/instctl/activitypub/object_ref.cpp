#include "instctl/activitypub/object_ref.hpp"

namespace instctl::activitypub {

std::optional<std::string> uri_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("id") && v["id"].is_string()) return v["id"].get<std::string>();
  return std::nullopt;
}

std::optional<std::string> uri_field(const Json& doc, const char* name) {
  if (!doc.is_object() || !doc.contains(name)) return std::nullopt;
  return uri_of(doc[name]);
}

bool has_type(const Json& doc, std::string_view type) {
  if (!doc.is_object() || !doc.contains("type")) return false;
  const Json& t = doc["type"];
  if (t.is_string()) return t.get<std::string>() == type;
  if (t.is_array()) {
    for (const auto& e : t) {
      if (e.is_string() && e.get<std::string>() == type) return true;
    }
  }
  return false;
}

std::string first_type(const Json& doc) {
  if (!doc.is_object() || !doc.contains("type")) return "";
  const Json& t = doc["type"];
  if (t.is_string()) return t.get<std::string>();
  if (t.is_array()) {
    for (const auto& e : t) {
      if (e.is_string()) return e.get<std::string>();
    }
  }
  return "";
}

}  // namespace instctl::activitypub
