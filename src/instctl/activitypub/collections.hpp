#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"

namespace instctl::activitypub {

inline constexpr std::int64_t k_collection_page_size = 40;

// An OrderedCollection that points at its first page (`id?page=1`), as Mastodon's followers,
// following and outbox collections do.
Json ordered_collection(const std::string& id, std::int64_t total);
// Page `page` (1-based) of the collection `id`, holding `items` (actor or activity URIs).
Json ordered_collection_page(const std::string& id, std::int64_t page, std::int64_t total,
                             const std::vector<std::string>& items);
std::string page_url(const std::string& id, std::int64_t page);

}  // namespace instctl::activitypub
