#pragma once

// SQL for subscriptions, their entries, the consensus policy, the blocks subscriptions made
// (ownership) and drafts; no rules.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

class SubscriptionStore {
 public:
  explicit SubscriptionStore(db::Connection& db) : m_db(db) {}

  // Unique name and URL (conflict otherwise).
  std::int64_t insert(const Subscription& s, UnixTime now);
  std::optional<Subscription> by_name(std::string_view name);
  std::vector<Subscription> all();  // in the order they were added, with entry counts
  void remove(std::int64_t id);     // its entries and holds go with it
  // The outcome of a refresh that kept the entries (unchanged, failed, garbage).
  void record_result(std::int64_t id, std::string_view result,
                     const std::optional<std::string>& error, UnixTime now);
  // A good fetch: the list's entries replaced, its validators and result recorded. Inside the
  // caller's transaction.
  void replace_entries(const Subscription& s, const std::vector<federation::DomainRule>& rules,
                       const std::optional<std::string>& note, UnixTime now);

  // The entries of every list but those in `except`, by domain then subscription.
  std::vector<Entry> entries(const std::set<std::int64_t>& except = {});
  // For each domain, the subscriptions whose lists name it, in subscription order.
  std::map<std::string, std::vector<std::int64_t>, std::less<>> naming(
      const std::set<std::string>& domains);

  Policy policy();
  void set_policy(const Policy& p, UnixTime now);

  // The blocks subscriptions made, each with the subscriptions that hold it.
  std::map<std::string, std::vector<std::int64_t>, std::less<>> owned();
  bool is_owned(std::string_view domain);
  // Records each block as made by subscriptions, held by its lists (replacing those it had);
  // nullopt: no longer made by subscriptions (its record dropped).
  void set_owned(const std::map<std::string, std::optional<std::vector<std::int64_t>>>& owners,
                 UnixTime now);
  // domain -> "a, b": the lists holding each block subscriptions made.
  std::map<std::string, std::string> holder_names();

  // Drafts, the newest proposal per domain.
  std::vector<Draft> drafts(bool pending_only);
  std::optional<Draft> draft(std::int64_t id);
  void put_draft(const Draft& d, UnixTime now);  // replaces any draft for the domain
  void delete_draft(std::string_view domain);
  void reject_draft(std::int64_t id, UnixTime now);
  std::int64_t count_pending();

 private:
  std::vector<Draft> query_drafts(const std::string& where, std::optional<std::int64_t> id);
  db::Connection& m_db;
};

}  // namespace instctl::subscriptions
