#pragma once

// Reading the JSON-LD shapes activities arrive in: a reference given as a URI string or as an
// embedded object carrying an id; `type` as a string or an array of strings. No I/O.

#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/json.hpp"

namespace instctl::activitypub {

// The URI of a reference (a string, or an object's "id").
std::optional<std::string> uri_of(const Json& ref);
// The URI of doc[name], when present.
std::optional<std::string> uri_field(const Json& doc, const char* name);
// True when doc's type is `type` or an array containing it.
bool has_type(const Json& doc, std::string_view type);
// The first type of doc ("" when it has none).
std::string first_type(const Json& doc);

}  // namespace instctl::activitypub
