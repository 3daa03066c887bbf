#pragma once

// What blocking a domain would cut, counted from the database through the stores that own
// the tables (follows: federation::FollowStore; accounts: users::AccountStore).

#include <map>
#include <set>
#include <string>

#include "instctl/db/connection.hpp"
#include "instctl/subscriptions/subscription.hpp"

namespace instctl::subscriptions {

// For each domain: the follows and known accounts on it and its subdomains.
std::map<std::string, Consequences> consequences_of(db::Connection& db,
                                                    const std::set<std::string>& domains);

}  // namespace instctl::subscriptions
