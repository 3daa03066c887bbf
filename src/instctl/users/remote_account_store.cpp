// AccountStore (account_store.hpp): the statements on remote accounts (domain non-empty), as
// federation records and finds them, and the instance-wide counts over `accounts`.
#include <fmt/format.h>

#include "instctl/db/daily_series.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/read_memo.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}
}  // namespace

std::int64_t AccountStore::upsert_remote(const activitypub::RemoteActor& a, std::string_view domain,
                                         UnixTime now) {
  std::optional<std::int64_t> id;
  auto by_uri = m_db.prepare("SELECT id FROM accounts WHERE actor_uri = ?");
  by_uri->bind_all(a.id);
  if (by_uri->step()) id = by_uri->get_int(0);
  if (!id) {
    auto by_name = m_db.prepare("SELECT id FROM accounts WHERE username_key = ? AND domain = ?");
    by_name->bind_all(util::to_lower(a.preferred_username), domain);
    if (by_name->step()) id = by_name->get_int(0);
  }
  const std::optional<std::string> shared =
      a.shared_inbox.empty() ? std::nullopt : std::optional<std::string>(a.shared_inbox);
  const std::optional<std::string> url =
      a.url.empty() ? std::nullopt : std::optional<std::string>(a.url);
  if (id) {
    m_db.prepare(
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
  auto ins = m_db.prepare(
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

std::optional<std::int64_t> AccountStore::id_by_actor_uri(std::string_view actor_uri) {
  auto st = m_db.prepare("SELECT id FROM accounts WHERE actor_uri = ?");
  st->bind_all(actor_uri);
  if (!st->step()) return std::nullopt;
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::optional<RemoteKey> AccountStore::cached_key(std::string_view key_id) {
  return db::remembered(m_db, "key", key_id, [&]() -> std::optional<RemoteKey> {
    auto st = m_db.prepare(
        "SELECT id, actor_uri, public_key_pem FROM accounts WHERE key_id = ? AND domain <> '' "
        "AND actor_uri IS NOT NULL AND public_key_pem IS NOT NULL AND deleted_at IS NULL "
        "ORDER BY last_fetched_at DESC NULLS LAST LIMIT 1");
    st->bind_all(key_id);
    if (!st->step()) return std::nullopt;
    RemoteKey k{st->get_int(0), st->get_text(1), st->get_text(2)};
    st->reset();
    return k;
  });
}

std::optional<RemoteInbox> AccountStore::remote_by_actor_uri(std::string_view actor_uri) {
  return db::remembered(m_db, "remote-inbox", actor_uri, [&]() -> std::optional<RemoteInbox> {
    auto st = m_db.prepare(
        "SELECT id, coalesce(inbox_url, '') FROM accounts WHERE actor_uri = ? AND domain <> ''");
    st->bind_all(actor_uri);
    if (!st->step()) return std::nullopt;
    RemoteInbox r{st->get_int(0), st->get_text(1)};
    st->reset();
    return r;
  });
}

void AccountStore::mark_remote_deleted(std::int64_t account_id, UnixTime now) {
  m_db.prepare("UPDATE accounts SET deleted_at = ?, updated_at = ? WHERE id = ? AND domain <> ''")
      ->bind_all(now, now, account_id)
      .run();
}

std::vector<std::string> AccountStore::remote_inboxes(const std::vector<std::int64_t>& ids) {
  std::vector<std::string> inboxes;
  if (ids.empty()) return inboxes;
  auto st = m_db.prepare(fmt::format(
      "SELECT coalesce(shared_inbox_url, inbox_url) FROM accounts WHERE domain <> '' AND "
      "coalesce(shared_inbox_url, inbox_url) IS NOT NULL AND id IN ({})",
      placeholders(ids.size())));
  for (std::size_t i = 0; i < ids.size(); ++i) st->bind(static_cast<int>(i + 1), ids[i]);
  while (st->step()) inboxes.push_back(st->get_text(0));
  return inboxes;
}

std::int64_t AccountStore::count_remote() {
  auto st = m_db.prepare("SELECT count(*) FROM accounts WHERE domain <> ''");
  st->step();
  return st->get_int(0);
}

std::int64_t AccountStore::count_known_domains() {
  auto st = m_db.prepare("SELECT count(DISTINCT domain) FROM accounts WHERE domain <> ''");
  return st->step() ? st->get_int(0) : 0;
}

std::map<std::string, std::int64_t> AccountStore::remote_accounts_by_domain() {
  auto st =
      m_db.prepare("SELECT domain, count(*) FROM accounts WHERE domain <> '' GROUP BY domain");
  std::map<std::string, std::int64_t> out;
  while (st->step()) out[st->get_text(0)] = st->get_int(1);
  return out;
}

std::vector<std::string> AccountStore::known_domains() {
  std::vector<std::string> out;
  // GROUP BY, not DISTINCT: PostgreSQL sorts a DISTINCT list only by what it selects.
  auto st =
      m_db.prepare("SELECT domain FROM accounts WHERE domain <> '' GROUP BY domain ORDER BY " +
                   db::byte_order(m_db.dialect(), "domain"));
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

Json AccountStore::signups_per_day(UnixTime day0) {
  return db::daily_series(
      m_db, "SELECT created_at FROM accounts WHERE domain = '' AND created_at >= ?", day0);
}

MemberActivity AccountStore::member_activity(UnixTime month, UnixTime halfyear) {
  auto st = m_db.prepare(
      "SELECT count(*), "
      "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0), "
      "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0) "
      "FROM accounts WHERE domain = '' AND approved = 1 AND suspended_at IS NULL "
      "AND deleted_at IS NULL");
  st->bind_all(month, month, halfyear, halfyear);
  MemberActivity m;
  if (st->step()) st->read_all(m.total, m.active_month, m.active_halfyear);
  return m;
}

std::vector<RedeemedBy> AccountStore::redeemed_with(std::string_view code) {
  auto st = m_db.prepare(std::string("SELECT username, ") + k_status_sql +
                         ", created_at FROM accounts WHERE domain = '' AND invite_code = ? "
                         "ORDER BY created_at, id");
  st->bind_all(code);
  std::vector<RedeemedBy> out;
  while (st->step()) out.push_back({st->get_text(0), st->get_text(1), st->get_int(2)});
  return out;
}

std::vector<AccountStore::FollowRow> AccountStore::follow_rows(std::int64_t id, Side side,
                                                               std::string_view state,
                                                               std::int64_t limit,
                                                               std::int64_t offset) {
  const bool followers = side == Side::followers;
  auto st = m_db.prepare(fmt::format(
      "SELECT a.username, a.domain, a.actor_uri FROM accounts a "
      "JOIN follows f ON a.id = f.{} WHERE f.{} = ? AND f.state = ? ORDER BY f.id LIMIT ? OFFSET ?",
      followers ? "follower_id" : "followed_id", followers ? "followed_id" : "follower_id"));
  st->bind_all(id, state, limit, offset);
  std::vector<FollowRow> out;
  while (st->step()) {
    FollowRow r;
    st->read_all(r.username, r.domain, r.actor_uri);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace instctl::users
