#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/crypto/keys.hpp"
#include "instctl/db/env.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

// How long an activation link works.
inline constexpr std::int64_t k_activation_validity = 7 * 86400;

struct CreateRequest {
  std::string username;
  std::string email;
  std::string display_name;
  std::string note;
  Role role = Role::user;
  std::optional<std::string> password;  // none: a one-time activation link is made
  // The account signs in with a partner identity, linked by within_transaction: no activation
  // link is made (nobody would receive it), and the welcome mail goes out at once.
  bool partner_identity = false;
  bool pending = false;                    // put in the approval queue
  std::optional<std::string> invite_code;  // redeemed atomically with the creation
  // admin: the command line (not bound by registrations.mode without an invite);
  // sign_up: the public sign-up page (mode and email blocks always apply).
  users::Channel channel = users::Channel::admin;
  // Runs inside the creation's transaction, after the account is written: what must land
  // with it or not at all (an external identity's link). Throwing undoes the creation.
  std::function<void(const User&)> within_transaction;
};

struct CreateResult {
  User user;
  std::optional<std::string> activation_url;  // printed once, never stored in clear
};

struct ModifyRequest {
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::string> note;
  // Whether follows wait for `users follow-requests approve` (Mastodon's locked account).
  std::optional<bool> manually_approves_followers;
  // Whether the account is listed in the profile directory (/api/v1/directory) and its
  // profile page may be indexed. Opt-in: new accounts are not listed.
  std::optional<bool> discoverable;
  // Which mails a moderator or admin gets as things happen (users/notify.hpp), as given.
  std::optional<std::string> notify;
};

// Whether `users reject` tells the person by mail (`--notify`).
enum class TellPerson { no, yes };

// What a password link (activation or reset) is worth now. `unknown`: never issued, or already
// used (the stored hash is cleared when it is spent, so the two look alike).
enum class LinkState { usable, expired, unknown };
struct LinkCheck {
  LinkState state = LinkState::unknown;
  std::optional<User> user;  // for usable links
};

using Progress = std::function<void(std::size_t done, std::size_t total)>;

// The rules about users, shared by the command line and the server.
// How long a reset link works.
inline constexpr std::int64_t k_reset_link_validity = 24 * 3600;

class UserService {
 public:
  explicit UserService(Env& env);

  const instance::InstanceInfo& instance();
  // A local user named as SPEC.md's USER argument; not_found otherwise.
  User resolve(std::string_view ref);
  // A local or remote account (ACCT or USER).
  User resolve_account(std::string_view ref);
  // The local account with exactly this username (any status), for URLs and WebFinger.
  std::optional<User> find_local(std::string_view username);

  // The local account a person names to sign in: username (with or without '@' and this
  // instance's account domain) or email address; deleted accounts are not found.
  std::optional<User> find_by_login(std::string_view login);
  // The name find_by_login looks up, lower-cased: '@', this instance's account domain and
  // surrounding spaces taken off, so "@Bea@domain" and "bea" are one name ("" for none). Read
  // without the database, so it is the same whether or not an account has the name.
  std::string login_name(std::string_view login);
  // The account with this id (any status), for a session's or a linked identity's account.
  std::optional<User> find_by_id(std::int64_t id);

  // Whether `password` is the account's. Without an account or a password, the same work
  // against a hash nobody can match, so the time does not tell whether either exists.
  bool password_matches(const std::optional<User>& u, std::string_view password);
  // Whether the account has a password to sign in with (not only a partner identity).
  bool has_password(std::int64_t id);

  // Every problem with the request's own values (username, email, display name, note,
  // password), in that order, without reading the database: what create() refuses first,
  // and what a sign-up form shows all at once.
  static Problems validate(const CreateRequest& req);
  CreateResult create(const CreateRequest& req);
  std::vector<User> list(const ListFilter& filter);
  // What `users show` prints of the account itself: the user and its counts
  // (overview::account_details adds what other concepts know of it, and its history).
  Json details(const User& user);
  User modify(std::string_view ref, const ModifyRequest& req);

  std::vector<User> approve(const std::vector<std::string>& refs);
  std::vector<User> approve_oldest(std::int64_t n);
  std::vector<User> reject(const std::vector<std::string>& refs, TellPerson tell = TellPerson::no);

  User remove(std::string_view ref);

  // Sets the password (when given) or returns a reset link valid 24 h (k_reset_link_validity).
  std::optional<std::string> reset_password(std::string_view ref,
                                            const std::optional<std::string>& password);
  // A link from activation_url / reset_url, looked up by its token's hash.
  LinkCheck check_password_link(PasswordLink kind, std::string_view token);
  // Sets the password through the link and spends it (and every other link of the account),
  // once: the password rule applies (Error usage); a link that is no longer usable leaves the
  // account untouched and says why.
  LinkCheck use_password_link(PasswordLink kind, std::string_view token, std::string_view password);
  // New key pairs for the named users, or for every local user when `refs` is empty.
  std::vector<User> rotate_keys(const std::vector<std::string>& refs, const Progress& progress);
  // The account's key pair, generated now if it has none yet (keys appear when first needed).
  crypto::KeyPair ensure_keys(std::int64_t account_id);
  // Only the public key (what actor documents publish), generated now if needed.
  std::string ensure_public_key(std::int64_t account_id);
  // The public key when it has been made, without making one.
  std::optional<std::string> existing_public_key(std::int64_t account_id);

  // Local URLs derived from the public URL.
  std::string actor_url(const User& u);
  std::string activation_url(const std::string& token);
  std::string reset_url(const std::string& token);

 private:
  User must_find(std::int64_t id);
  // The account made ahead of time for the person redeeming an invite bound to its address
  // (users import --invite), now theirs; none when the request is not such a claim.
  std::optional<User> claim_reserved(const CreateRequest& req, const NewLocalUser& nu);
  // Queues the mail of `kind` (approved, rejected, welcome) to the account's address, when
  // mail is enabled; inside the caller's transaction.
  void queue_person_mail(mail::MailKind kind, const User& u);
  // Tells the moderators and admins who want it that `newcomer` waits for approval.
  void tell_staff_pending(const User& newcomer);
  // AccountEvents::changed to every listener (followers learn the new profile or keys; call
  // inside the transaction); how many deliveries were queued. `retired_key_id`: the replaced
  // key that signs the news (rotate_keys).
  std::size_t announce_change(const User& u,
                              std::optional<std::int64_t> retired_key_id = std::nullopt);
  Env& m_env;
  AccountStore m_store;
  std::optional<instance::InstanceInfo> m_instance;
};

}  // namespace instctl::users
