#include "instctl/users/account_store.hpp"

#include <fmt/format.h>

#include "instctl/db/read_memo.hpp"
#include "instctl/users/validation.hpp"

namespace instctl::users {

const char* const k_status_sql =
    "(CASE WHEN deleted_at IS NOT NULL THEN 'deleted' "
    "WHEN suspended_at IS NOT NULL THEN 'suspended' "
    "WHEN approved = 0 THEN 'pending' "
    "WHEN disabled_at IS NOT NULL THEN 'disabled' "
    "WHEN silenced_at IS NOT NULL THEN 'silenced' "
    "ELSE 'active' END)";

namespace {

std::string select_columns() {
  return std::string("SELECT id, username, domain, email, display_name, note, role, ") +
         k_status_sql +
         ", status_reason, invite_code, manually_approves_followers, discoverable, "
         "public_key_pem IS NOT NULL, activation_token_hash IS NOT NULL, actor_uri, inbox_url, "
         "shared_inbox_url, created_at, updated_at FROM accounts ";
}

User read_user(db::Statement& st) {
  User u;
  st.read_all(u.id, u.username, u.domain, u.email, u.display_name, u.note,
              db::parsed(u.role, parse_role), db::parsed(u.status, parse_status), u.status_reason,
              u.invite_code, u.manually_approves_followers, u.discoverable, u.has_keys,
              u.activation_pending, u.actor_uri, u.inbox_url, u.shared_inbox_url, u.created_at,
              u.updated_at);
  return u;
}

const char* flag_column(Flag f) {
  switch (f) {
    case Flag::suspended:
      return "suspended_at";
    case Flag::silenced:
      return "silenced_at";
    case Flag::disabled:
      return "disabled_at";
  }
  return "suspended_at";
}

}  // namespace

std::optional<User> AccountStore::one(const std::string& where,
                                      const std::vector<std::string>& args) {
  auto st = m_db.prepare(select_columns() + where);
  int i = 0;
  for (const auto& a : args) st->bind(++i, std::string_view(a));
  if (!st->step()) return std::nullopt;
  return read_user(*st);
}

std::optional<User> AccountStore::by_id(std::int64_t id) {
  auto st = m_db.prepare(select_columns() + "WHERE id = ?");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  return read_user(*st);
}

std::optional<User> AccountStore::local_by_username(std::string_view username) {
  return db::remembered(m_db, "local-user", username, [&] {
    return one("WHERE username_key = ? AND domain = ''", {username_key(username)});
  });
}

std::optional<User> AccountStore::local_by_email(std::string_view email) {
  return one("WHERE email_key = ? AND domain = ''", {email_key(email)});
}

std::optional<User> AccountStore::remote_by_acct(std::string_view username,
                                                 std::string_view domain) {
  return one("WHERE username_key = ? AND domain = ?",
             {username_key(username), std::string(domain)});
}

std::string AccountStore::insert_local_sql(OnTaken on_taken, Returning returning,
                                           std::size_t rows) {
  std::string sql =
      "INSERT INTO accounts (username, username_key, domain, email, email_key, display_name, "
      "note, role, approved, password_hash, activation_token_hash, activation_expires_at, "
      "invite_code, discoverable, created_at, updated_at) VALUES ";
  static_assert(k_insert_local_params == 14, "one ? per bound value of bind_insert_local");
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "" : ", ";
    // Not listed in the directory until the member opts in (0011_member_sessions.sql).
    sql += "(?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
  }
  if (on_taken == OnTaken::skip) sql += " ON CONFLICT DO NOTHING";
  if (returning == Returning::id) sql += " RETURNING id";
  if (returning == Returning::id_and_key) sql += " RETURNING id, username_key";
  return sql;
}

void AccountStore::bind_insert_local(db::Statement& st, const NewLocalUser& u, UnixTime now) {
  st.bind_all(u.username, username_key(u.username), u.email, email_key(u.email), u.display_name,
              u.note, to_string(u.role), u.approved, u.password_hash, u.activation_token_hash,
              u.activation_expires_at, u.invite_code, now, now);
}

std::int64_t AccountStore::insert_local(const NewLocalUser& u, UnixTime now) {
  auto st = m_db.prepare(insert_local_sql(OnTaken::fail, Returning::id));
  bind_insert_local(*st, u, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::int64_t AccountStore::insert_remote(std::string_view username, std::string_view domain,
                                         UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO accounts (username, username_key, domain, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id");
  st->bind_all(username, username_key(username), domain, now, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::vector<User> AccountStore::list_local(const ListFilter& f) {
  std::string sql = select_columns() + "WHERE domain = '' AND id > ?";
  if (f.role) sql += " AND role = ?";
  if (f.status) sql += std::string(" AND ") + k_status_sql + " = ?";
  if (!f.include_deleted) sql += " AND deleted_at IS NULL";
  if (f.search) {
    sql +=
        " AND (username_key LIKE ? ESCAPE '\\' OR email_key LIKE ? ESCAPE '\\' "
        "OR lower(display_name) LIKE ? ESCAPE '\\')";
  }
  sql += " ORDER BY id";
  if (f.limit > 0) sql += " LIMIT ?";
  auto st = m_db.prepare(sql);
  int i = 0;
  st->bind(++i, f.after_id);
  if (f.role) st->bind(++i, std::string_view(to_string(*f.role)));
  if (f.status) st->bind(++i, std::string_view(to_string(*f.status)));
  if (f.search) {
    std::string pattern = "%";
    for (char c : username_key(*f.search)) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += "%";
    for (int k = 0; k < 3; ++k) st->bind(++i, std::string_view(pattern));
  }
  if (f.limit > 0) st->bind(++i, f.limit);
  std::vector<User> out;
  while (st->step()) out.push_back(read_user(*st));
  return out;
}

std::map<Status, std::int64_t> AccountStore::count_local_by_status() {
  std::map<Status, std::int64_t> out;
  for (auto s : k_statuses) out[s] = 0;
  auto st = m_db.prepare(std::string("SELECT ") + k_status_sql +
                         ", count(*) FROM accounts WHERE domain = '' GROUP BY 1");
  while (st->step()) out[parse_status(st->get_text(0))] = st->get_int(1);
  return out;
}

bool AccountStore::set_flag(std::int64_t id, Flag flag, bool on, std::optional<std::string> reason,
                            UnixTime now) {
  const std::string col = flag_column(flag);
  std::string sql = "UPDATE accounts SET " + col + " = ?, status_reason = ?, updated_at = ? " +
                    "WHERE id = ? AND deleted_at IS NULL AND " + col +
                    (on ? " IS NULL" : " IS NOT NULL");
  auto st = m_db.prepare(sql);
  st->bind_all(on ? std::optional<std::int64_t>(now) : std::nullopt, on ? reason : std::nullopt,
               now, id);
  st->run();
  return m_db.changes() == 1;
}

bool AccountStore::approve(std::int64_t id, UnixTime now) {
  m_db.prepare(
          "UPDATE accounts SET approved = 1, updated_at = ? "
          "WHERE id = ? AND approved = 0 AND deleted_at IS NULL")
      ->bind_all(now, id)
      .run();
  return m_db.changes() == 1;
}

bool AccountStore::remove_pending(std::int64_t id) {
  m_db.prepare("DELETE FROM accounts WHERE id = ? AND approved = 0 AND domain = ''")
      ->bind_all(id)
      .run();
  return m_db.changes() == 1;
}

bool AccountStore::tombstone(std::int64_t id, UnixTime now) {
  // Personal data goes; the username stays reserved and the keys stay to sign the Delete.
  m_db.prepare(
          "UPDATE accounts SET deleted_at = ?, updated_at = ?, email = NULL, email_key = NULL, "
          "display_name = '', note = '', password_hash = NULL, activation_token_hash = NULL, "
          "activation_expires_at = NULL, reset_token_hash = NULL, reset_expires_at = NULL "
          "WHERE id = ? AND deleted_at IS NULL")
      ->bind_all(now, now, id)
      .run();
  return m_db.changes() == 1;
}

std::vector<std::int64_t> AccountStore::oldest_pending(std::int64_t n) {
  auto st = m_db.prepare(
      "SELECT id FROM accounts WHERE domain = '' AND approved = 0 AND "
      "deleted_at IS NULL ORDER BY created_at, id LIMIT ?");
  st->bind_all(n);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

const char* const AccountStore::k_update_profile_sql =
    "UPDATE accounts SET email = coalesce(?, email), email_key = coalesce(?, email_key), "
    "display_name = coalesce(?, display_name), role = coalesce(?, role), "
    "note = coalesce(?, note), updated_at = ? WHERE id = ?";

void AccountStore::bind_update_profile(db::Statement& st, std::int64_t id,
                                       const std::optional<std::string>& email,
                                       const std::optional<std::string>& display_name,
                                       const std::optional<Role>& role,
                                       const std::optional<std::string>& note, UnixTime now) {
  std::optional<std::string> key;
  if (email) key = email_key(*email);
  std::optional<std::string> role_text;
  if (role) role_text = to_string(*role);
  st.bind_all(email, key, display_name, role_text, note, now, id);
}

void AccountStore::update_profile(std::int64_t id, const std::optional<std::string>& email,
                                  const std::optional<std::string>& display_name,
                                  const std::optional<Role>& role,
                                  const std::optional<std::string>& note, UnixTime now) {
  auto st = m_db.prepare(k_update_profile_sql);
  bind_update_profile(*st, id, email, display_name, role, note, now);
  st->run();
}

void AccountStore::set_manually_approves_followers(std::int64_t id, bool manual, UnixTime now) {
  m_db.prepare("UPDATE accounts SET manually_approves_followers = ?, updated_at = ? WHERE id = ?")
      ->bind_all(manual, now, id)
      .run();
}

void AccountStore::set_discoverable(std::int64_t id, bool discoverable, UnixTime now) {
  m_db.prepare("UPDATE accounts SET discoverable = ?, updated_at = ? WHERE id = ?")
      ->bind_all(discoverable, now, id)
      .run();
}

void AccountStore::set_password_hash(std::int64_t id, const std::string& hash, UnixTime now) {
  m_db.prepare(
          "UPDATE accounts SET password_hash = ?, activation_token_hash = NULL, "
          "activation_expires_at = NULL, reset_token_hash = NULL, reset_expires_at = NULL, "
          "updated_at = ? WHERE id = ?")
      ->bind_all(hash, now, id)
      .run();
}

void AccountStore::set_activation_token(std::int64_t id, const std::string& token_hash,
                                        UnixTime expires_at) {
  m_db.prepare(
          "UPDATE accounts SET activation_token_hash = ?, activation_expires_at = ? WHERE id = ?")
      ->bind_all(token_hash, expires_at, id)
      .run();
}

void AccountStore::set_invite_code(std::int64_t id, const std::string& code, UnixTime now) {
  m_db.prepare("UPDATE accounts SET invite_code = ?, updated_at = ? WHERE id = ?")
      ->bind_all(code, now, id)
      .run();
}

void AccountStore::set_reset_token(std::int64_t id, const std::string& token_hash,
                                   UnixTime expires_at) {
  m_db.prepare("UPDATE accounts SET reset_token_hash = ?, reset_expires_at = ? WHERE id = ?")
      ->bind_all(token_hash, expires_at, id)
      .run();
}

namespace {
struct LinkColumns {
  const char* hash;
  const char* expires;
};
LinkColumns link_columns(PasswordLink kind) {
  if (kind == PasswordLink::activation) return {"activation_token_hash", "activation_expires_at"};
  return {"reset_token_hash", "reset_expires_at"};
}
}  // namespace

std::optional<PasswordLinkRow> AccountStore::password_link(PasswordLink kind,
                                                           std::string_view token_hash) {
  const auto c = link_columns(kind);
  auto st =
      m_db.prepare(fmt::format("SELECT id, {1} FROM accounts WHERE domain = '' AND "
                               "deleted_at IS NULL AND {0} = ? AND {1} IS NOT NULL",
                               c.hash, c.expires));
  st->bind_all(token_hash);
  if (!st->step()) return std::nullopt;
  PasswordLinkRow row;
  st->read_all(row.account_id, row.expires_at);
  return row;
}

std::optional<std::int64_t> AccountStore::spend_password_link(PasswordLink kind,
                                                              std::string_view token_hash,
                                                              const std::string& password_hash,
                                                              UnixTime now) {
  const auto c = link_columns(kind);
  auto st = m_db.prepare(fmt::format(
      "UPDATE accounts SET password_hash = ?, activation_token_hash = NULL, "
      "activation_expires_at = NULL, reset_token_hash = NULL, reset_expires_at = NULL, "
      "updated_at = ? WHERE domain = '' AND deleted_at IS NULL AND {} = ? AND {} > ? RETURNING id",
      c.hash, c.expires));
  st->bind_all(password_hash, now, token_hash, now);
  if (!st->step()) return std::nullopt;
  std::int64_t id = 0;
  st->read_all(id);
  st->run();
  return id;
}

std::optional<std::string> AccountStore::password_hash(std::int64_t id) {
  auto st = m_db.prepare("SELECT password_hash FROM accounts WHERE id = ? AND domain = ''");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  std::optional<std::string> hash;
  st->read_all(hash);
  return hash;
}

bool AccountStore::set_keys(std::int64_t id, const std::string& public_pem,
                            const std::string& private_pem, bool replace, UnixTime now) {
  std::string sql =
      "UPDATE accounts SET public_key_pem = ?, private_key_pem = ?, "
      "keys_created_at = ?, updated_at = ? WHERE id = ?";
  if (!replace) sql += " AND public_key_pem IS NULL";
  m_db.prepare(sql)->bind_all(public_pem, private_pem, now, now, id).run();
  return m_db.changes() == 1;
}

std::optional<std::string> AccountStore::private_key(std::int64_t id) {
  auto st = m_db.prepare("SELECT private_key_pem FROM accounts WHERE id = ?");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  return st->get_opt_text(0);
}

std::int64_t AccountStore::retire_key(std::int64_t account_id, const std::string& private_pem,
                                      UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO retired_keys (account_id, private_key_pem, retired_at) VALUES (?, ?, ?) "
      "RETURNING id");
  st->bind_all(account_id, private_pem, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

void AccountStore::drop_retired_key(std::int64_t key_id) {
  m_db.prepare("DELETE FROM retired_keys WHERE id = ?")->bind_all(key_id).run();
}

std::optional<std::string> AccountStore::retired_private_key(std::int64_t account_id,
                                                             std::int64_t key_id) {
  auto st =
      m_db.prepare("SELECT private_key_pem FROM retired_keys WHERE id = ? AND account_id = ?");
  st->bind_all(key_id, account_id);
  if (!st->step()) return std::nullopt;
  return st->get_opt_text(0);
}

std::optional<std::string> AccountStore::public_key(std::int64_t id) {
  auto st = m_db.prepare("SELECT public_key_pem FROM accounts WHERE id = ?");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  return st->get_opt_text(0);
}

std::vector<std::int64_t> AccountStore::local_ids_with_keys_needed(bool all) {
  std::string sql = "SELECT id FROM accounts WHERE domain = '' AND deleted_at IS NULL";
  if (!all) sql += " AND public_key_pem IS NULL";
  sql += " ORDER BY id";
  auto st = m_db.prepare(sql);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

std::vector<std::int64_t> AccountStore::directory_ids(bool newest, std::int64_t limit,
                                                      std::int64_t offset) {
  auto st = m_db.prepare(
      std::string("SELECT id FROM accounts WHERE domain = '' AND discoverable = 1 "
                  "AND ") +
      k_status_sql + " = 'active' ORDER BY " +
      (newest ? "created_at DESC, id DESC" : "updated_at DESC, id DESC") + " LIMIT ? OFFSET ?");
  st->bind_all(limit, offset);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

std::int64_t AccountStore::followers_count(std::int64_t id) {
  auto st =
      m_db.prepare("SELECT count(*) FROM follows WHERE followed_id = ? AND state = 'accepted'");
  st->bind_all(id);
  st->step();
  return st->get_int(0);
}

std::int64_t AccountStore::following_count(std::int64_t id) {
  auto st =
      m_db.prepare("SELECT count(*) FROM follows WHERE follower_id = ? AND state = 'accepted'");
  st->bind_all(id);
  st->step();
  return st->get_int(0);
}

std::string AccountStore::notify(std::int64_t id) {
  auto st = m_db.prepare("SELECT notify FROM accounts WHERE id = ?");
  st->bind_all(id);
  return st->step() ? st->get_text(0) : std::string("none");
}

void AccountStore::set_notify(std::int64_t id, const std::string& notify, UnixTime now) {
  m_db.prepare("UPDATE accounts SET notify = ?, updated_at = ? WHERE id = ?")
      ->bind_all(notify, now, id)
      .run();
}

std::optional<UnixTime> AccountStore::digest_at(std::int64_t id) {
  auto st = m_db.prepare("SELECT digest_at FROM accounts WHERE id = ?");
  st->bind_all(id);
  std::optional<UnixTime> at;
  if (st->step()) st->read_all(at);
  st->reset();
  return at;
}

bool AccountStore::claim_digest(std::int64_t id, UnixTime now, UnixTime due_before) {
  auto st = m_db.prepare(
      "UPDATE accounts SET digest_at = ? WHERE id = ? AND (digest_at IS NULL OR digest_at <= ?) "
      "RETURNING id");
  st->bind_all(now, id, due_before);
  if (!st->step()) return false;
  st->run();
  return true;
}

std::vector<User> AccountStore::staff_to_notify(std::string_view topic) {
  auto st =
      m_db.prepare(select_columns() +
                   "WHERE domain = '' AND role IN ('moderator', 'admin') AND email IS NOT NULL "
                   "AND approved = 1 AND deleted_at IS NULL AND suspended_at IS NULL "
                   "AND disabled_at IS NULL AND ',' || notify || ',' LIKE ? ORDER BY id");
  st->bind_all("%," + std::string(topic) + ",%");
  std::vector<User> out;
  while (st->step()) out.push_back(read_user(*st));
  return out;
}

}  // namespace instctl::users
