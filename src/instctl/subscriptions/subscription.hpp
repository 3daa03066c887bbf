#pragma once

// Blocklist subscriptions: the lists an instance follows, what each says, and the changes
// they propose (drafts). The rules are in consensus.hpp and subscription_service.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/federation/domain_file.hpp"
#include "instctl/federation/domain_rule.hpp"

namespace instctl::subscriptions {

// auto: changes apply at refresh; draft: they wait for review.
enum class Trust { automatic, draft };
const char* to_string(Trust t);
Trust parse_trust(std::string_view s);  // throws Error(usage)

struct Subscription {
  std::int64_t id = 0;
  std::string name;
  std::string url;
  std::optional<federation::FileFormat> format;  // nullopt: detected
  Trust trust = Trust::draft;
  federation::Severity severity_cap = federation::Severity::suspend;
  std::optional<std::string> etag, last_modified;
  std::optional<std::string> last_result, last_error;
  std::optional<UnixTime> last_refresh_at, last_success_at;
  UnixTime created_at = 0;
  std::int64_t entries = 0;  // domains the list names, as of its last good fetch
};
Json to_json(const Subscription& s);

// The consensus rule.
struct Policy {
  std::int64_t threshold = 1;
  bool strongest = false;  // the strongest severity among the agreeing lists, else the weakest
};
Json to_json(const Policy& p);

enum class DraftKind { block, change, retract };
const char* to_string(DraftKind k);
DraftKind parse_draft_kind(std::string_view s);

// What a change would cut: follows between local users and accounts of the domain (and its
// subdomains), and the remote accounts known there.
struct Consequences {
  std::int64_t followers = 0;  // local users' followers who live there
  std::int64_t follows = 0;    // accounts there that local users follow
  std::int64_t accounts = 0;   // known remote accounts there
};
// Adds the counts (followers, follows, accounts) to a record: a draft's, a change's.
void add_json(Json& record, const Consequences& c);

// A change the lists propose for one domain. `rule` is unset for a retraction.
struct Draft {
  std::int64_t id = 0;
  std::string domain;
  DraftKind kind = DraftKind::block;
  std::optional<federation::DomainRule> rule;
  std::string held_by;  // the lists' names, "a, b"
  std::string fingerprint;
  bool rejected = false;
  UnixTime created_at = 0;
  std::optional<UnixTime> decided_at;
  Consequences consequences;  // filled when shown, from the database
};
Json to_json(const Draft& d);

// One entry of one list (the domain and its rule, under the list's cap).
struct Entry {
  std::int64_t subscription_id = 0;
  federation::DomainRule rule;
};

}  // namespace instctl::subscriptions
