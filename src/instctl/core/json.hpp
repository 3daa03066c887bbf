#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace instctl {
// Field order matters to people reading output and to CSV columns: keep insertion order.
using Json = nlohmann::ordered_json;

// The member `name` of an object when it is a string, else "" (absent, null, another type).
inline std::string text_member(const Json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace instctl
