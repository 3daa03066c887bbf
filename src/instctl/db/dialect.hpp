#pragma once

#include <string>
#include <string_view>

#include "instctl/db/connection.hpp"

namespace instctl::db {

// The SQL that differs between SQLite and PostgreSQL, in one place. Stores write shared SQL
// (`?` placeholders, ON CONFLICT DO NOTHING, RETURNING, integer epochs) and ask here for the
// rest.

// True for a `postgresql://` or `postgres://` URI (else --db is an SQLite path).
bool is_postgres_uri(std::string_view location);

// The URI without its password (user:password@ and a password= parameter), for messages.
std::string redact_uri(std::string_view uri);

// Numbers the `?` placeholders of shared SQL as PostgreSQL's $1..$n. Question marks inside
// string literals, quoted identifiers, comments and dollar-quoted strings stay; `??` is an
// escaped literal `?` (an operator); `?NNN` is parameter NNN, as in SQLite. `count` receives
// the number of parameters.
std::string number_placeholders(std::string_view sql, int& count);

// An aggregate joining EXPR's values with SEP (a quoted SQL string literal) in input order:
// group_concat on SQLite, string_agg on PostgreSQL.
std::string group_concat(Dialect d, std::string_view expr, std::string_view sep);

// Appended to the subquery that picks the row a claim (`UPDATE ... WHERE id = (SELECT ...
// LIMIT 1)`) takes: on PostgreSQL, where writers do not queue on one file lock, the row is
// locked and rows other claimers hold are passed over, so two workers never pick the same one
// and neither waits. Nothing on SQLite, whose writers are serialised anyway.
std::string skip_locked(Dialect d, std::string_view table_alias);

// EXPR (text) for ORDER BY in byte order, as SQLite sorts: on PostgreSQL the database's
// collation (a locale's, which ignores punctuation) would order lists differently.
std::string byte_order(Dialect d, std::string_view expr);

// Whether an INSERT run for every row of a bulk write should take its new id from RETURNING:
// on PostgreSQL that saves a round trip (asking for lastval()); SQLite buffers RETURNING rows
// in a temporary table, which costs more than the insert, while its last insert id is free.
bool bulk_insert_returns_id(Dialect d);

// PostgreSQL text holds only UTF-8 without NUL, where SQLite keeps any bytes. A value from
// outside that is not (a percent-encoded query, a header, an SQLite row) is stored and
// compared on PostgreSQL with U+FFFD for each byte that starts no UTF-8 character, and for
// NUL, so it matches nothing real instead of failing the statement. text_kept_as_is tells
// whether D stores V unchanged.
std::string postgres_text(std::string_view v);
bool text_kept_as_is(Dialect d, std::string_view v);

// Whether a table exists in the database's (main) schema; whether any does.
bool table_exists(Connection& conn, std::string_view table);
bool has_tables(Connection& conn);

}  // namespace instctl::db
