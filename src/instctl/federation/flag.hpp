#pragma once

// ActivityPub Flag activities: reports between instances. Parsing and building only (no I/O);
// the inbox hands an incoming one to its FlagSink (reports stores it), and
// reports::ReportService::forward_in_transaction sends one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/json.hpp"

namespace instctl::federation {

// The fields of an incoming Flag, as the inbox hands them over after checking the signature.
struct IncomingFlag {
  std::string activity_id;               // the Flag's id (redelivery makes no second report)
  std::string actor_uri;                 // the sender, whose signature the inbox verified
  std::string actor_domain;              // its host: the report's origin
  std::vector<std::string> object_uris;  // the reported accounts and statuses, as listed
  std::string content;                   // the reporter's comment
};

// Reads a Flag in the shapes Mastodon and others send: `object` as one URI, an array of URIs,
// or embedded objects with an id; `actor` as a URI or an object. Nothing when the document is
// not a Flag or names no actor or object.
std::optional<IncomingFlag> parse_flag(const Json& activity, std::string_view actor_domain);

// The Flag that forwards a report to the reported account's instance, sent by the instance
// actor (Mastodon's shape: the target actor first in `object`, then the statuses).
Json build_flag(std::string_view id, std::string_view instance_actor_url,
                std::string_view target_actor_uri, const std::vector<std::string>& status_urls,
                std::string_view comment);

}  // namespace instctl::federation
