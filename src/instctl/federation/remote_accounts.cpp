#include "instctl/federation/remote_accounts.hpp"

#include "instctl/util/strings.hpp"

namespace instctl::federation {

std::int64_t upsert_remote_account(db::Connection& db, const activitypub::RemoteActor& a,
                                   std::string_view domain, UnixTime now) {
  std::optional<std::int64_t> id;
  auto by_uri = db.prepare("SELECT id FROM accounts WHERE actor_uri = ?");
  by_uri->bind_all(a.id);
  if (by_uri->step()) id = by_uri->get_int(0);
  if (!id) {
    auto by_name = db.prepare("SELECT id FROM accounts WHERE username_key = ? AND domain = ?");
    by_name->bind_all(util::to_lower(a.preferred_username), domain);
    if (by_name->step()) id = by_name->get_int(0);
  }
  const std::optional<std::string> shared =
      a.shared_inbox.empty() ? std::nullopt : std::optional<std::string>(a.shared_inbox);
  const std::optional<std::string> url = a.url.empty() ? std::nullopt : std::optional<std::string>(a.url);
  if (id) {
    db.prepare(
          "UPDATE accounts SET username = ?, username_key = ?, domain = ?, display_name = ?, "
          "note = ?, actor_uri = ?, inbox_url = ?, shared_inbox_url = ?, profile_url = ?, "
          "key_id = ?, public_key_pem = ?, manually_approves_followers = ?, last_fetched_at = ?, "
          "updated_at = ?, deleted_at = NULL WHERE id = ?")
        ->bind_all(a.preferred_username, util::to_lower(a.preferred_username), domain, a.name,
                   a.summary, a.id, a.inbox, shared, url, a.key_id, a.public_key_pem,
                   a.manually_approves_followers, now, now, *id)
        .run();
    return *id;
  }
  auto ins = db.prepare(
      "INSERT INTO accounts (username, username_key, domain, display_name, note, actor_uri, "
      "inbox_url, shared_inbox_url, profile_url, key_id, public_key_pem, "
      "manually_approves_followers, last_fetched_at, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  ins->bind_all(a.preferred_username, util::to_lower(a.preferred_username), domain, a.name,
                a.summary, a.id, a.inbox, shared, url, a.key_id, a.public_key_pem,
                a.manually_approves_followers, now, now, now);
  ins->step();
  const auto new_id = ins->get_int(0);
  ins->reset();
  return new_id;
}

std::optional<CachedKey> cached_key(db::Connection& db, std::string_view key_id) {
  auto st = db.prepare(
      "SELECT id, actor_uri, public_key_pem FROM accounts WHERE key_id = ? AND domain <> '' "
      "AND actor_uri IS NOT NULL AND public_key_pem IS NOT NULL AND deleted_at IS NULL "
      "ORDER BY last_fetched_at DESC NULLS LAST LIMIT 1");
  st->bind_all(key_id);
  if (!st->step()) return std::nullopt;
  CachedKey k{st->get_int(0), st->get_text(1), st->get_text(2)};
  st->reset();
  return k;
}

std::optional<RemoteRef> remote_account(db::Connection& db, std::string_view actor_uri) {
  auto st = db.prepare(
      "SELECT id, coalesce(inbox_url, '') FROM accounts WHERE actor_uri = ? AND domain <> ''");
  st->bind_all(actor_uri);
  if (!st->step()) return std::nullopt;
  RemoteRef r{st->get_int(0), st->get_text(1)};
  st->reset();
  return r;
}

void mark_remote_deleted(db::Connection& db, std::int64_t account_id, UnixTime now) {
  db.prepare("UPDATE accounts SET deleted_at = ?, updated_at = ? WHERE id = ? AND domain <> ''")
      ->bind_all(now, now, account_id)
      .run();
}

}  // namespace instctl::federation
