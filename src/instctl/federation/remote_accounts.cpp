#include "instctl/federation/remote_accounts.hpp"

#include "instctl/users/account_store.hpp"

namespace instctl::federation {

std::int64_t upsert_remote_account(db::Connection& db, const activitypub::RemoteActor& a,
                                   std::string_view domain, UnixTime now) {
  return users::AccountStore(db).upsert_remote(a, domain, now);
}

std::optional<CachedKey> cached_key(db::Connection& db, std::string_view key_id) {
  return users::AccountStore(db).cached_key(key_id);
}

std::optional<RemoteRef> remote_account(db::Connection& db, std::string_view actor_uri) {
  return users::AccountStore(db).remote_by_actor_uri(actor_uri);
}

void mark_remote_deleted(db::Connection& db, std::int64_t account_id, UnixTime now) {
  users::AccountStore(db).mark_remote_deleted(account_id, now);
}

}  // namespace instctl::federation
