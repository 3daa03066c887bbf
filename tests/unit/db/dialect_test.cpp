#include "instctl/db/dialect.hpp"

#include <gtest/gtest.h>

#include "instctl/db/migrations.hpp"

namespace instctl::db {

namespace {
std::string numbered(std::string_view sql, int expected_count) {
  int count = -1;
  auto out = number_placeholders(sql, count);
  EXPECT_EQ(count, expected_count) << sql;
  return out;
}
}  // namespace

TEST(Placeholders, AreNumberedInOrder) {
  EXPECT_EQ(numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?", 4),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4");
  EXPECT_EQ(numbered("SELECT 1", 0), "SELECT 1");
  EXPECT_EQ(numbered("?", 1), "$1");
}

TEST(Placeholders, NumberedOnesKeepTheirNumber) {
  EXPECT_EQ(numbered("DELETE FROM f WHERE a = ?1 OR b = ?1 OR c = ?2", 2),
            "DELETE FROM f WHERE a = $1 OR b = $1 OR c = $2");
  EXPECT_EQ(numbered("SELECT ?3", 3), "SELECT $3");
}

TEST(Placeholders, StringLiteralsKeepTheirQuestionMarks) {
  EXPECT_EQ(numbered("SELECT '?' || ? FROM t WHERE x = 'a?b' AND y = ?", 2),
            "SELECT '?' || $1 FROM t WHERE x = 'a?b' AND y = $2");
  // A doubled quote stays inside the literal.
  EXPECT_EQ(numbered("SELECT 'it''s ?', ?", 1), "SELECT 'it''s ?', $1");
  EXPECT_EQ(numbered("SELECT '', ?", 1), "SELECT '', $1");
  // Backslashes are plain characters in standard SQL strings.
  EXPECT_EQ(numbered("SELECT x LIKE ? ESCAPE '\\' AND y = ?", 2),
            "SELECT x LIKE $1 ESCAPE '\\' AND y = $2");
}

TEST(Placeholders, QuotedIdentifiersAndCommentsKeepTheirs) {
  EXPECT_EQ(numbered("SELECT \"odd?name\", \"a\"\"?\" FROM t WHERE id = ?", 1),
            "SELECT \"odd?name\", \"a\"\"?\" FROM t WHERE id = $1");
  EXPECT_EQ(numbered("SELECT 1 -- why?\nWHERE a = ?", 1), "SELECT 1 -- why?\nWHERE a = $1");
  EXPECT_EQ(numbered("SELECT /* a ? b */ ?", 1), "SELECT /* a ? b */ $1");
  EXPECT_EQ(numbered("SELECT $$ ? $$, $t$ ? $t$, ?", 1), "SELECT $$ ? $$, $t$ ? $t$, $1");
}

TEST(Placeholders, DoubledQuestionMarkIsALiteralOne) {
  EXPECT_EQ(numbered("SELECT data ?? 'key' FROM t WHERE id = ?", 1),
            "SELECT data ? 'key' FROM t WHERE id = $1");
  EXPECT_EQ(numbered("SELECT ???", 1), "SELECT ?$1");
}

TEST(Placeholders, UnterminatedQuotesEndAtTheEnd) {
  EXPECT_EQ(numbered("SELECT ? 'abc ?", 1), "SELECT $1 'abc ?");
  EXPECT_EQ(numbered("SELECT ? /* ?", 1), "SELECT $1 /* ?");
}

TEST(PostgresUri, IsRecognisedBySchemeOnly) {
  EXPECT_TRUE(is_postgres_uri("postgresql://u@h/db"));
  EXPECT_TRUE(is_postgres_uri("postgres://h/db"));
  EXPECT_FALSE(is_postgres_uri("instance.db"));
  EXPECT_FALSE(is_postgres_uri("/var/lib/postgresql/instance.db"));
  EXPECT_FALSE(is_postgres_uri("sqlite://x"));
}

TEST(PostgresUri, RedactionDropsThePassword) {
  EXPECT_EQ(redact_uri("postgresql://ann:s3cret@db.example:5432/social"),
            "postgresql://ann@db.example:5432/social");
  EXPECT_EQ(redact_uri("postgresql://ann:p%40ss@host/db?sslmode=require"),
            "postgresql://ann@host/db?sslmode=require");
  EXPECT_EQ(redact_uri("postgres://host/db?password=x&sslmode=require"),
            "postgres://host/db?sslmode=require");
  EXPECT_EQ(redact_uri("postgres://host/db?sslmode=require&password=x"),
            "postgres://host/db?sslmode=require");
  EXPECT_EQ(redact_uri("postgresql://ann@host:5432/db"), "postgresql://ann@host:5432/db");
  EXPECT_EQ(redact_uri("postgresql://host:5432/db"), "postgresql://host:5432/db");
  EXPECT_EQ(redact_uri("postgresql://ann:x@[::1]:5432/db"), "postgresql://ann@[::1]:5432/db");
}

TEST(Dialect, GroupConcat) {
  EXPECT_EQ(group_concat(Dialect::sqlite, "name", "' '"), "group_concat(name, ' ')");
  EXPECT_EQ(group_concat(Dialect::postgresql, "name", "' '"),
            "string_agg(CAST(name AS TEXT), ' ')");
}

TEST(Dialect, SkipLocked) {
  EXPECT_EQ(skip_locked(Dialect::sqlite, "m"), "");
  EXPECT_EQ(skip_locked(Dialect::postgresql, "m"), " FOR UPDATE OF m SKIP LOCKED");
}

TEST(Migrations, BothDialectsHaveTheSameVersions) {
  const auto& sqlite = embedded_migrations(Dialect::sqlite);
  const auto& postgresql = embedded_migrations(Dialect::postgresql);
  ASSERT_EQ(sqlite.size(), postgresql.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgresql[i].version);
    EXPECT_EQ(sqlite[i].name, postgresql[i].name);
  }
}

TEST(Dialect, TextIsOrderedByBytesOnBothEngines) {
  EXPECT_EQ(byte_order(Dialect::sqlite, "domain"), "domain");
  EXPECT_EQ(byte_order(Dialect::postgresql, "domain"), "domain COLLATE \"C\"");
}

TEST(Dialect, PostgresqlTextIsUtf8WithoutNul) {
  const std::string bad = "caf\xe9 \xed\xa0\x80!";
  const std::string nul("a\0b", 3);
  EXPECT_TRUE(text_kept_as_is(Dialect::sqlite, bad));
  EXPECT_TRUE(text_kept_as_is(Dialect::sqlite, nul));
  EXPECT_FALSE(text_kept_as_is(Dialect::postgresql, bad));
  EXPECT_FALSE(text_kept_as_is(Dialect::postgresql, nul));
  EXPECT_TRUE(text_kept_as_is(Dialect::postgresql, "Zo\u00eb \u2713"));
  EXPECT_EQ(postgres_text("Zo\u00eb \u2713"), "Zo\u00eb \u2713");
  // One U+FFFD per byte that starts no character.
  EXPECT_EQ(postgres_text(bad), "caf\uFFFD \uFFFD\uFFFD\uFFFD!");
  EXPECT_EQ(postgres_text(nul), "a\uFFFDb");
}

TEST(Dialect, OnlyPostgresqlTakesBulkIdsFromReturning) {
  EXPECT_FALSE(bulk_insert_returns_id(Dialect::sqlite));
  EXPECT_TRUE(bulk_insert_returns_id(Dialect::postgresql));
}

}  // namespace instctl::db
