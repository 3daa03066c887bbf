#include "instctl/db/dialect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "instctl/util/strings.hpp"

namespace instctl::db {

namespace {
bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool is_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The end (one past) of a quoted run starting at `i` with quote `q`; a doubled quote inside
// is an escaped one. An unterminated run ends at the end of the text.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char q) {
  for (std::size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != q) continue;
    if (j + 1 < sql.size() && sql[j + 1] == q) {
      ++j;
      continue;
    }
    return j + 1;
  }
  return sql.size();
}

// A dollar-quoted string ($$...$$ or $tag$...$tag$) starting at `i`, or 0 if there is none.
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t i) {
  std::size_t j = i + 1;
  while (j < sql.size() && is_tag_char(sql[j])) ++j;
  if (j >= sql.size() || sql[j] != '$') return 0;
  if (j > i + 1 && sql[i + 1] >= '0' && sql[i + 1] <= '9') return 0;  // $1 is a parameter
  const std::string_view tag = sql.substr(i, j - i + 1);
  const auto end = sql.find(tag, j + 1);
  return end == std::string_view::npos ? sql.size() : end + tag.size();
}
}  // namespace

bool is_postgres_uri(std::string_view location) {
  return starts_with(location, "postgresql://") || starts_with(location, "postgres://");
}

std::string redact_uri(std::string_view uri) {
  std::string out(uri);
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto end = out.find_first_of("/?#", start);
    const auto authority_end = end == std::string::npos ? out.size() : end;
    const auto at = out.rfind('@', authority_end - 1);
    if (at != std::string::npos && at >= start) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
  }
  // A password given as a query parameter goes too, with its separator.
  const auto query = out.find('?');
  if (query != std::string::npos) {
    std::string rebuilt = out.substr(0, query);
    std::string_view rest = std::string_view(out).substr(query + 1);
    char sep = '?';
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      if (!starts_with(pair, "password=")) {
        rebuilt += sep;
        rebuilt += pair;
        sep = '&';
      }
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
    out = rebuilt;
  }
  return out;
}

std::string number_placeholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    std::size_t end = i;
    if (c == '\'' || c == '"') {
      end = skip_quoted(sql, i, c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '$') {
      end = skip_dollar_quoted(sql, i);
      if (end == 0) end = i;
    } else if (c == '?') {
      std::size_t digits = i + 1;
      while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
      if (i + 1 < sql.size() && sql[i + 1] == '?') {
        out += '?';
        i += 2;
      } else if (digits > i + 1) {
        // ?NNN names parameter NNN, as in SQLite.
        const auto number = sql.substr(i + 1, digits - i - 1);
        out += '$';
        out.append(number);
        count = std::max(count, std::stoi(std::string(number)));
        i = digits;
      } else {
        out += fmt::format("${}", ++count);
        ++i;
      }
      continue;
    }
    if (end > i) {
      out.append(sql.substr(i, end - i));
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string group_concat(Dialect d, std::string_view expr, std::string_view sep) {
  if (d == Dialect::postgresql) return fmt::format("string_agg(CAST({} AS TEXT), {})", expr, sep);
  return fmt::format("group_concat({}, {})", expr, sep);
}

std::string skip_locked(Dialect d, std::string_view table_alias) {
  if (d != Dialect::postgresql) return "";
  return fmt::format(" FOR UPDATE OF {} SKIP LOCKED", table_alias);
}

namespace {
std::int64_t count_tables(Connection& conn, std::optional<std::string_view> table) {
  std::string sql = conn.dialect() == Dialect::postgresql
                        ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                          "current_schema()"
                        : "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
  if (table) sql += conn.dialect() == Dialect::postgresql ? " AND table_name = ?" : " AND name = ?";
  auto st = conn.prepare(sql);
  if (table) st->bind_all(*table);
  st->step();
  const auto n = st->get_int(0);
  st->reset();
  return n;
}
}  // namespace

std::string byte_order(Dialect d, std::string_view expr) {
  return d == Dialect::postgresql ? std::string(expr) + " COLLATE \"C\"" : std::string(expr);
}

bool bulk_insert_returns_id(Dialect d) { return d == Dialect::postgresql; }

namespace {
// The length of the character at v[i] that PostgreSQL text holds as it is (UTF-8 but NUL), or 0.
std::size_t postgres_char_length(std::string_view v, std::size_t i) {
  return v[i] == '\0' ? 0 : util::utf8_sequence_length(v, i);
}
}  // namespace

std::string postgres_text(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size();) {
    const auto n = postgres_char_length(v, i);
    if (n > 0) {
      out.append(v.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool text_kept_as_is(Dialect d, std::string_view v) {
  if (d == Dialect::sqlite) return true;
  for (std::size_t i = 0; i < v.size();) {
    const auto n = postgres_char_length(v, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool table_exists(Connection& conn, std::string_view table) {
  return count_tables(conn, table) > 0;
}

bool has_tables(Connection& conn) { return count_tables(conn, std::nullopt) > 0; }

}  // namespace instctl::db
