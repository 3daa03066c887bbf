#include "instctl/invites/invite_store.hpp"

#include "instctl/db/dialect.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::invites {

namespace {

std::string select_sql(db::Dialect dialect) {
  return "SELECT i.id, i.code, i.max_uses, i.uses, i.expires_at, i.note, i.email, "
         // Usernames hold no spaces; the inner ORDER BY keeps the order the admin gave.
         "(SELECT " +
         db::group_concat(dialect, "name", "' '") +
         " FROM (SELECT a.username AS name FROM invite_autofollows f "
         "JOIN accounts a ON a.id = f.account_id WHERE f.invite_id = i.id AND a.deleted_at IS NULL "
         "ORDER BY f.position) AS names), "
         "i.created_by, i.revoked_at, i.created_at, i.waitlist_id, i.message, i.username "
         "FROM invites i ";
}

Invite read_invite(db::Statement& st) {
  Invite inv;
  st.read_all(inv.id, inv.code, inv.max_uses, inv.uses, inv.expires_at, inv.note, inv.email);
  if (const auto names = st.get_opt_text(7)) inv.autofollows = util::split(*names, ' ');
  st.read_from(8, inv.created_by, inv.revoked_at, inv.created_at, inv.waitlist_id, inv.message,
               inv.username);
  return inv;
}

// The condition selecting invites in a state; binds `now` once where it needs it.
const char* status_condition(InviteStatus s) {
  switch (s) {
    case InviteStatus::revoked:
      return "i.revoked_at IS NOT NULL AND CAST(? AS BIGINT) IS NOT NULL";
    case InviteStatus::exhausted:
      return "i.revoked_at IS NULL AND i.uses >= i.max_uses AND CAST(? AS BIGINT) IS NOT NULL";
    case InviteStatus::expired:
      return "i.revoked_at IS NULL AND i.uses < i.max_uses AND i.expires_at <= ?";
    case InviteStatus::active:
      return "i.revoked_at IS NULL AND i.uses < i.max_uses AND "
             "(i.expires_at IS NULL OR i.expires_at > ?)";
  }
  return "1";
}

}  // namespace

std::int64_t InviteStore::insert(const NewInvite& inv, UnixTime now) {
  std::optional<std::string> key;
  if (inv.email) key = users::email_key(*inv.email);
  auto st = m_db.prepare(
      "INSERT INTO invites (code, max_uses, expires_at, note, message, email, email_key, "
      "username, waitlist_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  st->bind_all(inv.code, inv.max_uses, inv.expires_at, inv.note, inv.message, inv.email, key,
               inv.username, inv.waitlist_id, inv.created_by, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  std::int64_t position = 0;
  for (const auto account : inv.autofollow_ids) {
    m_db.prepare(
            "INSERT INTO invite_autofollows (invite_id, account_id, position) VALUES (?, ?, ?)")
        ->bind_all(id, account, position++)
        .run();
  }
  return id;
}

std::vector<Invite> InviteStore::query(const std::string& tail, std::optional<std::int64_t> a,
                                       std::optional<std::int64_t> b) {
  auto st = m_db.prepare(select_sql(m_db.dialect()) + tail);
  int i = 0;
  if (a) st->bind(++i, *a);
  if (b) st->bind(++i, *b);
  std::vector<Invite> out;
  while (st->step()) out.push_back(read_invite(*st));
  return out;
}

std::optional<Invite> InviteStore::by_code(std::string_view code) {
  auto st = m_db.prepare(select_sql(m_db.dialect()) + "WHERE i.code = ?");
  st->bind_all(code);
  if (!st->step()) return std::nullopt;
  return read_invite(*st);
}

std::vector<Invite> InviteStore::created_by(std::string_view name) {
  auto st = m_db.prepare(select_sql(m_db.dialect()) +
                         "WHERE i.created_by = ? ORDER BY i.created_at, i.id");
  st->bind_all(name);
  std::vector<Invite> out;
  while (st->step()) out.push_back(read_invite(*st));
  return out;
}

std::optional<Invite> InviteStore::by_id(std::int64_t id) {
  auto rows = query("WHERE i.id = ?", id, std::nullopt);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<Invite> InviteStore::list(std::optional<InviteStatus> status, UnixTime now,
                                      std::int64_t limit) {
  std::string tail = status ? std::string("WHERE ") + status_condition(*status) : "";
  tail += " ORDER BY i.created_at DESC, i.id DESC";
  std::optional<std::int64_t> lim;
  if (limit > 0) {
    tail += " LIMIT ?";
    lim = limit;
  }
  if (!status) return query(tail, lim, std::nullopt);
  return query(tail, now, lim);
}

std::int64_t InviteStore::count(InviteStatus status, UnixTime now) {
  auto st =
      m_db.prepare(std::string("SELECT count(*) FROM invites i WHERE ") + status_condition(status));
  st->bind_all(now);
  st->step();
  return st->get_int(0);
}

std::optional<std::int64_t> InviteStore::claim_use(std::string_view code,
                                                   std::string_view email_key, UnixTime now) {
  auto st = m_db.prepare(
      "UPDATE invites SET uses = uses + 1 WHERE code = ? AND uses < max_uses AND "
      "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) AND "
      "(email_key IS NULL OR email_key = ?) RETURNING id");
  st->bind_all(code, now, email_key);
  if (!st->step()) return std::nullopt;
  const auto id = st->get_int(0);
  st->run();
  return id;
}

bool InviteStore::revoke(std::int64_t id, UnixTime now) {
  m_db.prepare("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      ->bind_all(now, id)
      .run();
  return m_db.changes() == 1;
}

void InviteStore::add_autofollows(std::int64_t invite_id, std::int64_t follower_id, UnixTime now) {
  m_db.prepare(
          "INSERT INTO follows (follower_id, followed_id, state, created_at) "
          "SELECT ?, a.id, 'accepted', ? FROM invite_autofollows f "
          "JOIN accounts a ON a.id = f.account_id "
          "WHERE f.invite_id = ? AND a.deleted_at IS NULL AND a.id <> ? ORDER BY f.position "
          "ON CONFLICT DO NOTHING")
      ->bind_all(follower_id, now, invite_id, follower_id)
      .run();
}

}  // namespace instctl::invites
