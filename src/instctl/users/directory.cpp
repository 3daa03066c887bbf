#include "instctl/users/directory.hpp"

#include "instctl/users/account_store.hpp"

namespace instctl::users {

std::vector<DirectoryEntry> list_directory(Env& env, const DirectoryQuery& q) {
  AccountStore store(env.db);
  std::vector<DirectoryEntry> out;
  for (const auto id : store.directory_ids(q.order == DirectoryOrder::newest, q.limit, q.offset)) {
    auto u = store.by_id(id);
    if (!u) continue;  // removed between the two statements
    out.push_back({std::move(*u), store.followers_count(id), store.following_count(id)});
  }
  return out;
}

}  // namespace instctl::users
