#pragma once

// What blocking a domain would cut, counted from the database through the stores that own
// the tables (follows: federation::FollowStore; accounts: users::AccountStore).

#include <map>
#include <string>
#include <string_view>

#include "instctl/db/connection.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

// The follows and known accounts on each domain and its subdomains, read once: each known
// remote domain counts for itself and every parent, so a refresh's tens of thousands of
// changes are each one lookup.
class ConsequenceCounts {
 public:
  explicit ConsequenceCounts(db::Connection& db);
  Consequences of(std::string_view domain) const;  // zero for a domain nothing lives on

 private:
  std::map<std::string, Consequences, std::less<>> m_by_domain;
};

}  // namespace instctl::subscriptions
