#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/users/status_sql.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

struct NewLocalUser {
  std::string username;
  std::string email;
  std::string display_name;
  std::string note;
  Role role = Role::user;
  bool approved = true;
  std::optional<std::string> password_hash;
  std::optional<std::string> activation_token_hash;
  std::optional<UnixTime> activation_expires_at;
  std::optional<std::string> invite_code;
};

struct ListFilter {
  std::optional<Role> role;
  std::optional<Status> status;
  std::optional<std::string> search;  // username, email or display name contains
  std::int64_t limit = 0;             // 0: no limit
  std::int64_t after_id = 0;          // keyset pagination: ids greater than this
  bool include_deleted = true;
};

enum class Flag { suspended, silenced, disabled };

// The one-time links that set a password: the activation link of a new account and the reset
// link of `users reset-password`. Each is stored as the SHA-256 of its token.
enum class PasswordLink { activation, reset };
struct PasswordLinkRow {
  std::int64_t account_id = 0;
  UnixTime expires_at = 0;
};

// An account that holds a username or email address an import names.
struct TakenBy {
  std::int64_t id = 0;
  std::string username;
  bool deleted = false;
};

// A remote account's cached public key, found by its key id (the inbox's key cache).
struct RemoteKey {
  std::int64_t account_id = 0;
  std::string actor_uri;
  std::string pem;
};
// A remote account: its id and the inbox replies go to.
struct RemoteInbox {
  std::int64_t id = 0;
  std::string inbox_url;
};
// Local members counted for nodeinfo: all, and those active in the last month and half year.
struct MemberActivity {
  std::int64_t total = 0;
  std::int64_t active_month = 0;
  std::int64_t active_halfyear = 0;
};
// An account made by redeeming an invite.
struct RedeemedBy {
  std::string username;
  std::string status;
  UnixTime created_at = 0;
};

// The one owner of the `accounts` table, local and remote accounts alike: every statement
// whose main table is `accounts` is here (the remote accounts' in remote_account_store.cpp,
// `users import`'s prepared ones in bulk_account_store.cpp).
// SQL only; no rules. Unique violations surface as Error(conflict) from the connection.
class AccountStore {
 public:
  explicit AccountStore(db::Connection& db) : m_db(db) {}

  // `users import`'s statements, prepared once and reused for every row (below).
  class Bulk;

  std::optional<User> by_id(std::int64_t id);
  std::optional<User> local_by_username(std::string_view username);
  std::optional<User> local_by_email(std::string_view email);
  std::optional<User> remote_by_acct(std::string_view username, std::string_view domain);

  std::int64_t insert_local(const NewLocalUser& u, UnixTime now);
  // A remote account known only by its handle (a report names it before any fetch);
  // `federation lookup` fills in the rest.
  std::int64_t insert_remote(std::string_view username, std::string_view domain, UnixTime now);
  std::vector<User> list_local(const ListFilter& f);
  // Local accounts by status, every status present (0 when none), in one pass over the table.
  std::map<Status, std::int64_t> count_local_by_status();

  // Each changes one row only when the account is in the required state; false otherwise.
  bool set_flag(std::int64_t id, Flag flag, bool on, std::optional<std::string> reason,
                UnixTime now);
  bool approve(std::int64_t id, UnixTime now);
  bool remove_pending(std::int64_t id);
  bool tombstone(std::int64_t id, UnixTime now);
  std::vector<std::int64_t> oldest_pending(std::int64_t n);

  void update_profile(std::int64_t id, const std::optional<std::string>& email,
                      const std::optional<std::string>& display_name,
                      const std::optional<Role>& role, const std::optional<std::string>& note,
                      UnixTime now);
  void set_manually_approves_followers(std::int64_t id, bool manual, UnixTime now);
  void set_discoverable(std::int64_t id, bool discoverable, UnixTime now);
  void set_password_hash(std::int64_t id, const std::string& hash, UnixTime now);
  // A new activation token (the old one stops working) and the invite that claimed the account.
  void set_activation_token(std::int64_t id, const std::string& token_hash, UnixTime expires_at);
  void set_invite_code(std::int64_t id, const std::string& code, UnixTime now);
  void set_reset_token(std::int64_t id, const std::string& token_hash, UnixTime expires_at);
  // The account a link's token hash belongs to (expired or not); none once it is spent.
  std::optional<PasswordLinkRow> password_link(PasswordLink kind, std::string_view token_hash);
  // Sets the password and spends every link of the account, in one statement, when the link
  // is still unexpired; the account's id, or none when it is not (any more).
  std::optional<std::int64_t> spend_password_link(PasswordLink kind, std::string_view token_hash,
                                                  const std::string& password_hash, UnixTime now);
  // The stored password hash of a local account (never printed).
  std::optional<std::string> password_hash(std::int64_t id);
  // Sets keys only if the account has none (returns false if another process was first),
  // or unconditionally when `replace` is set.
  bool set_keys(std::int64_t id, const std::string& public_pem, const std::string& private_pem,
                bool replace, UnixTime now);
  std::optional<std::string> private_key(std::int64_t id);
  // Keeps a replaced private key for the deliveries that must still be signed with it
  // (retired_keys; DeliveryStore::purge_delivered removes it once none is left).
  std::int64_t retire_key(std::int64_t account_id, const std::string& private_pem, UnixTime now);
  void drop_retired_key(std::int64_t key_id);
  std::optional<std::string> retired_private_key(std::int64_t account_id, std::int64_t key_id);
  std::optional<std::string> public_key(std::int64_t id);
  std::vector<std::int64_t> local_ids_with_keys_needed(bool all);

  // A page of the profile directory: active, discoverable local accounts, the newest first
  // (`newest`) or the most recently changed first.
  std::vector<std::int64_t> directory_ids(bool newest, std::int64_t limit, std::int64_t offset);

  std::int64_t followers_count(std::int64_t id);
  std::int64_t following_count(std::int64_t id);
  // Username, domain and actor URI of the accounts that follow `id` (`followers`) or that `id`
  // follows, in the given follow state, in the order the follows were made.
  struct FollowRow {
    std::string username;
    std::string domain;
    std::optional<std::string> actor_uri;
  };
  enum class Side { followers, following };
  std::vector<FollowRow> follow_rows(std::int64_t id, Side side, std::string_view state,
                                     std::int64_t limit, std::int64_t offset);

  // Local accounts made with this invite code, oldest first.
  std::vector<RedeemedBy> redeemed_with(std::string_view code);
  // Local sign-ups per day from day0 (db::daily_series).
  Json signups_per_day(UnixTime day0);
  // Approved local accounts not suspended or deleted, and those changed since each time.
  MemberActivity member_activity(UnixTime month, UnixTime halfyear);

  // Remote accounts (domain non-empty).
  // Records a fetched remote actor: found by its actor URI first (an account may be renamed),
  // else by username and domain; created otherwise. Returns the account id. Call inside a
  // transaction.
  std::int64_t upsert_remote(const activitypub::RemoteActor& a, std::string_view domain,
                             UnixTime now);
  // The account (local or remote) with this actor URI.
  std::optional<std::int64_t> id_by_actor_uri(std::string_view actor_uri);
  std::optional<RemoteKey> cached_key(std::string_view key_id);
  std::optional<RemoteInbox> remote_by_actor_uri(std::string_view actor_uri);
  void mark_remote_deleted(std::int64_t account_id, UnixTime now);
  // The inboxes (shared inbox first) of these remote accounts, unsorted.
  std::vector<std::string> remote_inboxes(const std::vector<std::int64_t>& ids);
  std::int64_t count_remote();
  std::int64_t count_known_domains();
  // The domains of remote accounts, in byte order.
  std::vector<std::string> known_domains();
  // How many remote accounts are known on each domain.
  std::map<std::string, std::int64_t> remote_accounts_by_domain();

  // Which mails a moderator or admin gets (`users modify --notify`): a canonical list such
  // as "reports,pending", or "digest", or "none".
  std::string notify(std::int64_t id);
  void set_notify(std::int64_t id, const std::string& notify, UnixTime now);
  // Active local moderators and admins with an address whose setting names `topic`, by id.
  std::vector<User> staff_to_notify(std::string_view topic);
  // When the account was last sent its daily digest (none yet: nothing).
  std::optional<UnixTime> digest_at(std::int64_t id);
  // Claims the account's digest for `now` when none was sent after `due_before`, in one
  // statement: of racing processes, one wins.
  bool claim_digest(std::int64_t id, UnixTime now, UnixTime due_before);

 private:
  // The statements that write a local user's row, shared by single commands and Bulk, which
  // keeps them prepared across rows.
  enum class OnTaken { fail, skip };  // a username or email that is taken: error, or no row
  enum class Returning { id, id_and_key, nothing };  // id_and_key: the id and username_key
  // ROWS rows of values make a multi-row insert; each row binds k_insert_local_params values.
  static std::string insert_local_sql(OnTaken on_taken, Returning returning, std::size_t rows = 1);
  static constexpr int k_insert_local_params = 14;
  static void bind_insert_local(db::Statement& st, const NewLocalUser& u, UnixTime now);
  // Sets the fields given; nullopt leaves a field as it is.
  static const char* const k_update_profile_sql;
  static void bind_update_profile(db::Statement& st, std::int64_t id,
                                  const std::optional<std::string>& email,
                                  const std::optional<std::string>& display_name,
                                  const std::optional<Role>& role,
                                  const std::optional<std::string>& note, UnixTime now);

  std::optional<User> one(const std::string& where, const std::vector<std::string>& args);
  db::Connection& m_db;
};

// The statements of a bulk import (bulk_account_store.cpp), prepared once and reused for every
// row: the same statements as AccountStore's, kept prepared. SQL only; the caller holds the
// transaction.
class AccountStore::Bulk {
 public:
  explicit Bulk(db::Connection& db);
  ~Bulk();
  Bulk(const Bulk&) = delete;
  Bulk& operator=(const Bulk&) = delete;

  // Keys (usernames, email addresses) that rows of this import named, with the first line
  // that named each. They live in a temporary table (on disk, private to this connection),
  // so a file of any size is checked for duplicates in bounded memory.
  // Records `key` unless it is recorded already.
  void claim_key(const std::string& key, std::size_t line);
  // The line recorded for `key`; 0 when none.
  std::size_t claimed_by(const std::string& key);

  // Whether any of these keys is recorded.
  bool any_claimed(const std::vector<std::string>& keys);

  // The new user's id; nothing when the username or email address is taken.
  std::optional<std::int64_t> insert_unless_taken(const NewLocalUser& u, UnixTime now);
  // Inserts every user with one statement, or none when any username or email address is
  // taken or named twice among them: their ids in the users' order, or nothing.
  std::optional<std::vector<std::int64_t>> insert_all_or_none(
      const std::vector<const NewLocalUser*>& users, UnixTime now);
  // The local account holding this username (case-insensitive), deleted ones included.
  std::optional<TakenBy> by_username(std::string_view username);
  // The local account holding this email address (case-insensitive).
  std::optional<TakenBy> by_email(std::string_view email);
  void update_profile(std::int64_t id, const std::string& email,
                      const std::optional<std::string>& display_name,
                      const std::optional<Role>& role, const std::optional<std::string>& note,
                      UnixTime now);

 private:
  std::optional<TakenBy> taken(db::Statement& st, const std::string& key);

  db::Connection& m_db;
  const bool m_returns_id;
  std::unique_ptr<db::Statement> m_claim;
  std::unique_ptr<db::Statement> m_claimed_by;
  std::size_t m_claims = 0;

  std::unique_ptr<db::Statement> m_insert;
  std::unique_ptr<db::Statement> m_insert_rows;  // for m_insert_rows_count rows
  std::size_t m_insert_rows_count = 0;
  std::unique_ptr<db::Statement> m_by_username;
  std::unique_ptr<db::Statement> m_by_email;
  std::unique_ptr<db::Statement> m_update;
};

}  // namespace instctl::users
