#include "instctl/activitypub/collections.hpp"

#include <fmt/format.h>

namespace instctl::activitypub {

std::string page_url(const std::string& id, std::int64_t page) {
  return fmt::format("{}?page={}", id, page);
}

Json ordered_collection(const std::string& id, std::int64_t total) {
  return Json{{"@context", "https://www.w3.org/ns/activitystreams"},
              {"id", id},
              {"type", "OrderedCollection"},
              {"totalItems", total},
              {"first", page_url(id, 1)}};
}

Json ordered_collection_page(const std::string& id, std::int64_t page, std::int64_t total,
                             const std::vector<std::string>& items) {
  Json j{{"@context", "https://www.w3.org/ns/activitystreams"},
         {"id", page_url(id, page)},
         {"type", "OrderedCollectionPage"},
         {"totalItems", total},
         {"partOf", id}};
  if (page * k_collection_page_size < total) j["next"] = page_url(id, page + 1);
  if (page > 1) j["prev"] = page_url(id, page - 1);
  j["orderedItems"] = items;
  return j;
}

}  // namespace instctl::activitypub
