#pragma once

// The filters of `users list`, shared by the commands that select users the same way
// (`users export`).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "instctl/users/account_store.hpp"

namespace instctl::cli {

struct ListOptions {
  std::optional<std::string> role;
  std::optional<std::string> status;
  std::optional<std::string> search;
  std::int64_t limit = 0;
  std::int64_t after = 0;
};

users::ListFilter to_filter(const ListOptions& o);
void add_list_options(CLI::App* cmd, ListOptions& o);

}  // namespace instctl::cli
