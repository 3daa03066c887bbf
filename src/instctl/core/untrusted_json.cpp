#include "instctl/core/untrusted_json.hpp"

namespace instctl {

std::optional<Json> parse_untrusted_json(std::string_view text) {
  bool too_deep = false;
  // Values below the limit are discarded as they are read, so the tree never grows deeper.
  // `depth` of a container's start event is the number of containers around it.
  const Json::parser_callback_t limit = [&too_deep](int depth, Json::parse_event_t event, Json&) {
    const bool opens =
        event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if (opens && depth >= k_max_json_depth) too_deep = true;
    return !too_deep;
  };
  Json doc = Json::parse(text, limit, /*allow_exceptions=*/false);
  if (too_deep || doc.is_discarded()) return std::nullopt;
  return doc;
}

std::optional<Json> parse_untrusted_object(std::string_view text) {
  auto doc = parse_untrusted_json(text);
  if (!doc || !doc->is_object()) return std::nullopt;
  return doc;
}

}  // namespace instctl
