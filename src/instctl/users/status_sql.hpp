#pragma once

namespace instctl::users {

// The SQL expression giving an account's status from its flags (one place for the rule:
// deleted > suspended > pending > disabled > silenced > active), over the columns of
// `accounts`. Defined in account_store.cpp; other stores use it in their read-only JOINs.
extern const char* const k_status_sql;

}  // namespace instctl::users
