#pragma once

#include <nlohmann/json.hpp>

namespace instctl {
// Field order matters to people reading output and to CSV columns: keep insertion order.
using Json = nlohmann::ordered_json;
}  // namespace instctl
