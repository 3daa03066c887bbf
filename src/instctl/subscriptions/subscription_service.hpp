#pragma once

// The rules of blocklist subscriptions, shared by the command line (and any page): adding and
// removing lists, refreshing them, the consensus policy, and the drafts an admin reviews.
// Changes to domain blocks go through federation::DomainService, so the inbox and every other
// rule see them exactly as a block made by hand; the audit log names the lists behind each.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/db/env.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/subscriptions/subscription.hpp"
#include "instctl/subscriptions/subscription_store.hpp"

namespace instctl::subscriptions {

struct AddRequest {
  std::string url;
  std::optional<std::string> name;  // default: the URL's host
  std::optional<federation::FileFormat> format;
  Trust trust = Trust::draft;
  federation::Severity severity_cap = federation::Severity::suspend;
};

// One list's refresh: updated, unchanged (304), failed (fetch; the last good copy kept) or
// garbage (not a list: the last good copy kept).
struct ListOutcome {
  std::string name;
  std::string result;
  std::optional<std::string> error;
  std::int64_t entries = 0;
};

// A change the lists asked for: applied (trust auto) or proposed as a draft.
struct Change {
  std::string domain;
  DraftKind kind = DraftKind::block;
  std::optional<federation::DomainRule> rule;
  std::string held_by;
  bool applied = false;
  std::optional<std::int64_t> draft_id;
  Consequences consequences;
};

struct RefreshReport {
  std::vector<ListOutcome> lists;
  std::vector<Change> changes;
  std::vector<std::string> notes;  // domains left alone, and why
  Json to_json() const;
  Json changes_json() const;
  // The error the command ends with, if any: 7 (remote) when every list failed to be
  // fetched, 6 (invalid_data) when a list was garbage, 5 (partial) when some failed.
  std::optional<Error> failure() const;
};

class SubscriptionService {
 public:
  // `client` fetches the lists; when null, one is made from the instance's settings.
  explicit SubscriptionService(Env& env, std::shared_ptr<net::HttpClient> client = nullptr);

  Subscription add(const AddRequest& req);
  std::vector<Subscription> list();
  Subscription show(std::string_view name);  // not_found
  // Removes the list and retracts (or proposes retracting) the blocks it alone caused.
  RefreshReport remove(std::string_view name);
  Policy policy();
  // Sets the consensus rule and applies (or drafts) what it changes.
  RefreshReport set_policy(std::int64_t threshold, std::optional<bool> strongest);
  // Fetches the named lists (all when empty), then brings the blocks in line with them.
  RefreshReport refresh(const std::vector<std::string>& names);

  // Drafts with their consequences; rejected ones too when `all`.
  std::vector<Draft> drafts(bool all);
  // Applies (or rejects) the drafts with these ids, or every pending one when `ids` is empty.
  // Accepting a rejected draft is a conflict (nothing applied): the error names it and the
  // change to make by hand instead.
  std::vector<Draft> accept(const std::vector<std::int64_t>& ids);
  std::vector<Draft> reject(const std::vector<std::int64_t>& ids);

  // domain -> the lists holding each block subscriptions made ("a, b").
  std::map<std::string, std::string> holders();

 private:
  // A list fetched and parsed, to be stored and applied with the others of the run.
  struct Fetched {
    Subscription subscription;  // with the new validators
    std::vector<federation::DomainRule> rules;
    std::size_t skipped = 0;  // lines that are not a rule
  };
  // Fetches and parses one list; `fetched` gets it when it is to be stored.
  ListOutcome fetch_one(const Subscription& s, std::vector<Fetched>& fetched);
  // A list just removed, and the blocks it held.
  struct Removed {
    std::string name;
    Trust trust = Trust::draft;
    std::set<std::string, std::less<>> domains;
  };
  // A run of changes in one transaction: the blocks' (DomainService::start_run), and the
  // blocks' owners, written together at its end by finish() (nullopt: no longer owned).
  struct Run {
    federation::BlockRun blocks;
    std::map<std::string, std::optional<std::vector<std::int64_t>>> owners;
  };
  void finish(Run& run);
  // Brings blocks and drafts in line with the entries, inside the caller's transaction.
  // `fresh`: entries just stored in it (their lists' are not read back), in list order; their
  // rules are moved out.
  void reconcile(RefreshReport& report, const Removed* removed,
                 std::vector<Fetched>* fresh = nullptr);
  // `holders` replace those the block had.
  void apply(const Change& c, const std::vector<std::int64_t>& holders, const std::string& by,
             Run& run);
  std::vector<Draft> chosen_drafts(const std::vector<std::int64_t>& ids);
  void count_consequences(std::vector<Change>& changes);
  net::HttpClient& client();

  Env& m_env;
  SubscriptionStore m_store;
  federation::DomainService m_domains;
  std::shared_ptr<net::HttpClient> m_client;
};

}  // namespace instctl::subscriptions
