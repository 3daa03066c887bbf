#pragma once

// Many rows written with multi-row statements: `head` VALUES (...), (...), ... `tail`, as many
// rows a statement as stay under SQLite's historical limit of 999 parameters (and at most
// 128), and one statement for the rest. A store's writes of thousands of rows in one run
// (a subscription refresh's blocks, owners and audit entries) cost a statement per batch
// instead of one per row.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "instctl/db/connection.hpp"

namespace instctl::db {

// Writes `rows` rows: `head` is the statement up to VALUES (included), `row` one row's
// placeholders ("(?, ?, ?)"), `tail` what follows the rows (an ON CONFLICT clause, or "").
// `bind(statement, first, i)` binds row i's parameters from parameter `first` on
// (Statement::bind_from).
template <typename BindRow>
void write_rows(Connection& db, std::string_view head, std::string_view row, std::string_view tail,
                std::size_t rows, BindRow&& bind) {
  const auto params = static_cast<std::size_t>(std::count(row.begin(), row.end(), '?'));
  const std::size_t per_statement =
      std::clamp<std::size_t>(999 / std::max<std::size_t>(params, 1), 1, 128);
  const auto sql = [&](std::size_t n) {
    std::string text(head);
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) text += ", ";
      text += row;
    }
    text += ' ';
    text += tail;
    return text;
  };
  std::unique_ptr<Statement> full;
  for (std::size_t done = 0; done < rows;) {
    const std::size_t n = std::min(per_statement, rows - done);
    auto rest = n < per_statement ? db.prepare(sql(n)) : nullptr;
    if (!rest && !full) full = db.prepare(sql(n));
    Statement& st = rest ? *rest : *full;
    st.reset();
    for (std::size_t i = 0; i < n; ++i) bind(st, static_cast<int>(i * params + 1), done + i);
    st.run();
    done += n;
  }
}

}  // namespace instctl::db
