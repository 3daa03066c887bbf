#include "instctl/users/user_service.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/password.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/account_events.hpp"
#include "instctl/users/account_mails.hpp"
#include "instctl/users/notify.hpp"
#include "instctl/users/public_profile.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user_ref.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::users {

namespace {

[[noreturn]] void not_found(std::string_view ref) {
  throw Error(ErrorKind::not_found,
              fmt::format("no user '{}': 'instctl users list --search TEXT' finds users", ref));
}
}  // namespace

UserService::UserService(Env& env) : m_env(env), m_store(env.db) {}

const instance::InstanceInfo& UserService::instance() {
  if (!m_instance) m_instance = instance::load(m_env.db);
  return *m_instance;
}

std::string UserService::actor_url(const User& u) {
  if (u.actor_uri) return *u.actor_uri;
  return activitypub::actor_url(instance().public_url, u.username);
}

std::optional<User> UserService::find_local(std::string_view username) {
  return m_store.local_by_username(username);
}

namespace {

// The name in a sign-in's text: surrounding spaces, a leading '@' and this instance's account
// domain taken off (case kept, for the stores' own comparisons).
std::string_view login_name_in(std::string_view login, std::string_view account_domain) {
  auto name = util::trim(login);
  if (!name.empty() && name.front() == '@') name.remove_prefix(1);
  const auto suffix = "@" + std::string(account_domain);
  if (name.size() > suffix.size() &&
      util::iequals(name.substr(name.size() - suffix.size()), suffix)) {
    name.remove_suffix(suffix.size());
  }
  return name;
}

}  // namespace

std::string UserService::login_name(std::string_view login) {
  return util::to_lower(login_name_in(login, instance().account_domain));
}

std::optional<User> UserService::find_by_login(std::string_view login) {
  const auto name = login_name_in(login, instance().account_domain);
  if (name.empty()) return std::nullopt;
  auto u = name.find('@') != std::string_view::npos ? m_store.local_by_email(name)
                                                    : m_store.local_by_username(name);
  if (u && u->status == Status::deleted) return std::nullopt;
  return u;
}

std::string UserService::activation_url(const std::string& token) {
  return fmt::format("{}/auth/activate/{}", instance().public_url, token);
}

std::string UserService::reset_url(const std::string& token) {
  return fmt::format("{}/auth/reset/{}", instance().public_url, token);
}

User UserService::must_find(std::int64_t id) {
  auto u = m_store.by_id(id);
  if (!u) not_found(fmt::format("id:{}", id));
  return *u;
}

User UserService::resolve(std::string_view text) {
  User u = resolve_account(text);
  if (!u.is_local()) {
    throw Error(ErrorKind::not_found,
                fmt::format("'{}' is a remote account, not a user of this instance", text));
  }
  return u;
}

User UserService::resolve_account(std::string_view text) {
  const auto& inst = instance();
  const UserRef ref = parse_user_ref(text, inst.account_domain, inst.domain, false);
  std::optional<User> u;
  switch (ref.kind) {
    case UserRef::Kind::id:
      u = m_store.by_id(ref.id);
      break;
    case UserRef::Kind::local_username:
      u = m_store.local_by_username(ref.username);
      break;
    case UserRef::Kind::email:
      u = m_store.local_by_email(ref.email);
      if (!u)
        u = m_store.remote_by_acct(ref.email.substr(0, ref.email.find('@')),
                                   ref.email.substr(ref.email.find('@') + 1));
      break;
    case UserRef::Kind::remote_acct:
      u = m_store.remote_by_acct(ref.username, ref.domain);
      break;
  }
  if (!u) not_found(text);
  return *u;
}

namespace {
constexpr std::string_view k_address_taken = "This address already has an account here.";

[[noreturn]] void email_taken(const std::string& email, const User& holder) {
  const std::string fix =
      holder.status == Status::deleted
          ? "give another address"
          : fmt::format(
                "give another address, or first change {}'s with 'instctl users modify "
                "{} --email NEW'",
                holder.username, holder.username);
  throw Error(
      ErrorKind::conflict,
      Problems{
          {"email",
           fmt::format("the email address {} is already used by {}{}: {}", email, holder.username,
                       holder.status == Status::deleted ? " (a deleted account)" : "", fix),
           std::string(k_address_taken)}});
}
}  // namespace

Problems UserService::validate(const CreateRequest& req) {
  Problems out;
  const auto add = [&](const char* field, std::optional<std::string> problem) {
    if (problem) out.push_back({field, std::move(*problem)});
  };
  add("username", username_problem(req.username));
  add("email", email_problem(req.email));
  add("display_name", display_name_problem(req.display_name));
  add("note", note_problem(req.note));
  if (req.password) add("password", crypto::password_problem(*req.password));
  return out;
}

CreateResult UserService::create(const CreateRequest& req) {
  if (auto problems = validate(req); !problems.empty())
    throw Error(ErrorKind::usage, std::move(problems));
  const std::string username = req.username;
  const std::string email = normalize_email(req.email);

  NewLocalUser nu;
  nu.username = username;
  nu.email = email;
  nu.display_name = req.display_name;
  nu.note = req.note;
  nu.role = req.role;
  nu.approved = !req.pending;
  CreateResult result;
  std::optional<std::string> token;
  // Hashing is slow on purpose: do it before taking the write lock.
  if (req.password) {
    nu.password_hash = crypto::hash_password(*req.password);
  } else if (!req.partner_identity) {
    token = crypto::random_token();
    nu.activation_token_hash = crypto::sha256_hex(*token);
    nu.activation_expires_at = m_env.clock.now() + k_activation_validity;
  }

  db::Transaction tx(m_env.db);
  if (auto claimed = claim_reserved(req, nu)) {
    result.user = *claimed;
    if (req.within_transaction) req.within_transaction(result.user);
    tx.commit();
    if (token) result.activation_url = activation_url(*token);
    return result;
  }
  if (auto existing = m_store.local_by_username(username)) {
    throw Error(ErrorKind::conflict,
                Problems{{"username",
                          fmt::format("the username '{}' is taken{}", username,
                                      existing->status == Status::deleted
                                          ? " (by a deleted account; usernames are never reused)"
                                          : ""),
                          "This username is taken. Please choose another one."}});
  }
  if (const auto holder = m_store.local_by_email(email)) {
    // Admins learn which account holds it; the public sign-up page never tells who has an
    // address.
    if (req.channel == users::Channel::admin) email_taken(email, *holder);
    throw Error(ErrorKind::conflict,
                Problems{{"email", fmt::format("the email address {} is already in use", email),
                          std::string(k_address_taken)}});
  }
  // The registration mode decides who may come in; admins at the command line without an
  // invite are not bound by it, everyone else (invites, the sign-up page) is.
  const auto with_invite = req.invite_code ? users::WithInvite::yes : users::WithInvite::no;
  const auto decision =
      users::decide_registration(users::registration_mode(m_env.db), req.channel, with_invite);
  if (decision.pending) nu.approved = false;
  std::optional<RedeemedInvite> invite;
  if (req.invite_code || req.channel != users::Channel::admin) {
    email_blocks::EmailBlockService(m_env).require_allowed(email_domain(email));
  }
  if (req.invite_code) {
    invite = invitations(m_env).redeem(m_env, *req.invite_code, email);
    nu.invite_code = invite->code;
  }
  const auto id = m_store.insert_local(nu, m_env.clock.now());
  result.user = must_find(id);
  if (invite) {
    for (auto* e : account_events(m_env)) e->joined_with_invite(m_env, result.user, invite->id);
  }
  audit::record(m_env, "users.create", result.user.audit_target(),
                Json{{"email", email},
                     {"role", to_string(req.role)},
                     {"pending", !nu.approved},
                     {"invite_code", invite ? Json(invite->code) : Json(nullptr)}});
  if (!nu.approved) {
    tell_staff_pending(result.user);
  } else if (!token) {
    queue_person_mail(mail::MailKind::welcome, result.user);
  }
  if (req.within_transaction) req.within_transaction(result.user);
  tx.commit();
  if (token) result.activation_url = activation_url(*token);
  return result;
}

void UserService::queue_person_mail(mail::MailKind kind, const User& u) {
  mail::MailQueue queue(m_env);
  if (!u.email || !queue.enabled()) return;
  const auto site = mail::load_site(m_env.db);
  switch (kind) {
    case mail::MailKind::approved:
      queue.enqueue(kind, *u.email, users::approved_message(site, u));
      break;
    case mail::MailKind::rejected:
      queue.enqueue(kind, *u.email, users::rejected_message(site, u));
      break;
    case mail::MailKind::welcome:
      queue.enqueue(kind, *u.email, users::welcome_message(site, u));
      break;
    default:
      throw Error(ErrorKind::internal, "not a mail about the person's own account");
  }
}

void UserService::tell_staff_pending(const User& newcomer) {
  if (!mail::MailQueue(m_env).enabled()) return;
  const auto site = mail::load_site(m_env.db);
  notify_staff(m_env, mail::StaffTopic::pending,
               [&](const User& to) { return users::pending_message(site, to, newcomer); });
}

// An account waiting for its first sign-in is claimed by redeeming an invite bound to its
// address: that invite was mailed there, so whoever holds it owns the address. The username
// must be the account's. The registration mode does not apply: an admin made the account.
std::optional<User> UserService::claim_reserved(const CreateRequest& req, const NewLocalUser& nu) {
  if (!req.invite_code) return std::nullopt;
  const auto existing = m_store.local_by_email(nu.email);
  if (!existing || !existing->activation_pending ||
      username_key(existing->username) != username_key(nu.username)) {
    return std::nullopt;
  }
  auto& invites = invitations(m_env);
  const auto bound = invites.bound_email(m_env, *req.invite_code);
  if (!bound || email_key(*bound) != email_key(nu.email)) return std::nullopt;
  const auto invite = invites.redeem(m_env, *req.invite_code, nu.email);
  const auto now = m_env.clock.now();
  if (nu.password_hash) {
    m_store.set_password_hash(existing->id, *nu.password_hash, now);
  } else {
    m_store.set_activation_token(existing->id, *nu.activation_token_hash,
                                 *nu.activation_expires_at);
  }
  m_store.set_invite_code(existing->id, invite.code, now);
  const User claimed = must_find(existing->id);
  for (auto* e : account_events(m_env)) e->joined_with_invite(m_env, claimed, invite.id);
  audit::record(m_env, "users.claim", existing->audit_target(), Json{{"invite_code", invite.code}});
  return claimed;
}

std::vector<User> UserService::list(const ListFilter& filter) { return m_store.list_local(filter); }

Json UserService::details(const User& u) {
  Json j = to_json(u);
  j["domain"] = u.is_local() ? Json(nullptr) : Json(u.domain);
  j["handle"] = u.is_local() ? instance::handle(instance(), u.username) : "@" + u.acct();
  j["actor_url"] = actor_url(u);
  j["status_reason"] = u.status_reason ? Json(*u.status_reason) : Json(nullptr);
  j["activation_pending"] = u.activation_pending;
  j["keys_generated"] = u.has_keys;
  j["manually_approves_followers"] = u.manually_approves_followers;
  j["discoverable"] = u.discoverable;
  // Which mails a moderator or admin gets (`users modify --notify`); null for remote accounts.
  j["notify"] = u.is_local() ? Json(m_store.notify(u.id)) : Json(nullptr);
  j["followers_count"] = m_store.followers_count(u.id);
  j["following_count"] = m_store.following_count(u.id);
  j["updated_at"] = util::format_time(u.updated_at);
  return j;
}

User UserService::modify(std::string_view ref, const ModifyRequest& req) {
  std::optional<std::string> email;
  if (req.email) email = require_valid_email(*req.email);
  if (req.display_name) require_valid_display_name(*req.display_name);
  if (req.note) require_valid_note(*req.note);
  std::optional<std::string> notify;
  if (req.notify) notify = parse_notify(*req.notify);
  if (!req.email && !req.display_name && !req.role && !req.note &&
      !req.manually_approves_followers && !req.discoverable && !notify) {
    throw Error(ErrorKind::usage,
                "nothing to change: give --email, --display-name, --role, --note, "
                "--approve-followers, --discoverable/--no-discoverable or --notify")
        .with_public("There is nothing to change.");
  }
  db::Transaction tx(m_env.db);
  const User before = resolve(ref);
  if (before.status == Status::deleted) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} is deleted and cannot be modified", before.username));
  }
  if (email) {
    auto other = m_store.local_by_email(*email);
    if (other && other->id != before.id) email_taken(*email, *other);
  }
  if (notify && req.role.value_or(before.role) == Role::user) {
    throw Error(ErrorKind::usage,
                fmt::format("--notify: {} is not a moderator or admin, and only they get these "
                            "mails; give --role moderator as well, or leave --notify out",
                            before.username));
  }
  const auto now = m_env.clock.now();
  m_store.update_profile(before.id, email, req.display_name, req.role, req.note, now);
  if (notify) {
    m_store.set_notify(before.id, *notify, now);
  }
  Json changes = Json::object();
  if (email) changes["email"] = *email;
  if (req.display_name) changes["display_name"] = *req.display_name;
  if (req.role) changes["role"] = to_string(*req.role);
  if (req.note) changes["note"] = *req.note;
  if (notify) changes["notify"] = *notify;
  if (const auto manual = req.manually_approves_followers) {
    m_store.set_manually_approves_followers(before.id, *manual, now);
    changes["manually_approves_followers"] = *manual;
    // As on Mastodon, a user who stops approving followers by hand accepts those waiting.
    if (before.manually_approves_followers && !*manual) {
      std::int64_t accepted = 0;
      for (auto* e : account_events(m_env)) accepted += e->follows_unlocked(m_env, before);
      changes["follow_requests_approved"] = accepted;
    }
  }
  if (req.discoverable) {
    m_store.set_discoverable(before.id, *req.discoverable, now);
    changes["discoverable"] = *req.discoverable;
  }
  User after = must_find(before.id);
  // Followers' copies of the profile: only a user with keys has been seen by other servers.
  if (after.has_keys && after.status != Status::suspended &&
      (req.display_name || req.note || req.manually_approves_followers || req.discoverable)) {
    announce_change(after);
  }
  audit::record(m_env, "users.modify", before.audit_target(), changes);
  tx.commit();
  return after;
}

std::vector<User> UserService::approve(const std::vector<std::string>& refs) {
  db::Transaction tx(m_env.db);
  std::vector<User> out;
  for (const auto& ref : refs) {
    const User u = resolve(ref);
    if (!m_store.approve(u.id, m_env.clock.now())) {
      throw Error(ErrorKind::conflict, fmt::format("{} is not pending approval (status: {})",
                                                   u.username, to_string(u.status)));
    }
    audit::record(m_env, "users.approve", u.audit_target());
    out.push_back(must_find(u.id));
    queue_person_mail(mail::MailKind::approved, out.back());
  }
  tx.commit();
  return out;
}

std::vector<User> UserService::approve_oldest(std::int64_t n) {
  if (n <= 0) throw Error(ErrorKind::usage, "--oldest needs a positive number");
  db::Transaction tx(m_env.db);
  std::vector<User> out;
  for (auto id : m_store.oldest_pending(n)) {
    m_store.approve(id, m_env.clock.now());
    out.push_back(must_find(id));
    audit::record(m_env, "users.approve", out.back().audit_target());
    queue_person_mail(mail::MailKind::approved, out.back());
  }
  tx.commit();
  return out;
}

std::vector<User> UserService::reject(const std::vector<std::string>& refs, TellPerson tell) {
  if (tell == TellPerson::yes && !mail::MailQueue(m_env).enabled()) {
    throw Error(ErrorKind::usage,
                "--notify needs the mail settings mail.smtp_url and mail.from (e.g. 'instctl "
                "config set mail.smtp_url smtp://mail.example:587'), or leave --notify out");
  }
  db::Transaction tx(m_env.db);
  std::vector<User> out;
  for (const auto& ref : refs) {
    const User u = resolve(ref);
    if (!m_store.remove_pending(u.id)) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is not pending approval (status: {}); use 'users delete' to "
                              "remove an active account",
                              u.username, to_string(u.status)));
    }
    audit::record(m_env, "users.reject", u.audit_target(),
                  Json{{"email", u.email ? *u.email : ""}, {"notify", tell == TellPerson::yes}});
    if (tell == TellPerson::yes) queue_person_mail(mail::MailKind::rejected, u);
    out.push_back(u);
  }
  tx.commit();
  return out;
}

User UserService::remove(std::string_view ref) {
  db::Transaction tx(m_env.db);
  const User u = resolve(ref);
  if (!m_store.tombstone(u.id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("{} is already deleted", u.username));
  }
  // Personal data goes with the account (its partner identity too), and remote followers
  // learn of the deletion: AccountEvents::deleted.
  Json details{{"followers", m_store.followers_count(u.id)}};
  for (auto* e : account_events(m_env)) e->deleted(m_env, u, details);
  audit::record(m_env, "users.delete", u.audit_target(), details);
  tx.commit();
  return must_find(u.id);
}

std::optional<std::string> UserService::reset_password(std::string_view ref,
                                                       const std::optional<std::string>& password) {
  std::optional<std::string> hash;
  if (password) {
    crypto::check_password_strength(*password);
    hash = crypto::hash_password(*password);
  }
  const std::string token = crypto::random_token();
  db::Transaction tx(m_env.db);
  const User u = resolve(ref);
  if (u.status == Status::deleted) {
    throw Error(ErrorKind::conflict, fmt::format("{} is deleted", u.username));
  }
  std::optional<std::string> url;
  if (hash) {
    m_store.set_password_hash(u.id, *hash, m_env.clock.now());
  } else {
    m_store.set_reset_token(u.id, crypto::sha256_hex(token),
                            m_env.clock.now() + k_reset_link_validity);
    url = reset_url(token);
  }
  audit::record(m_env, "users.reset_password", u.audit_target(),
                Json{{"method", hash ? "password" : "link"}});
  tx.commit();
  return url;
}

LinkCheck UserService::check_password_link(PasswordLink kind, std::string_view token) {
  const auto row = m_store.password_link(kind, crypto::sha256_hex(token));
  if (!row) return {};
  if (row->expires_at <= m_env.clock.now()) return {LinkState::expired, std::nullopt};
  return {LinkState::usable, must_find(row->account_id)};
}

LinkCheck UserService::use_password_link(PasswordLink kind, std::string_view token,
                                         std::string_view password) {
  crypto::check_password_strength(password);
  const auto hash = crypto::hash_password(password);  // slow: before the transaction
  db::Transaction tx(m_env.db);
  const auto id =
      m_store.spend_password_link(kind, crypto::sha256_hex(token), hash, m_env.clock.now());
  if (!id) return check_password_link(kind, token);
  const User u = must_find(*id);
  audit::record(
      m_env, "users.set_password", u.audit_target(),
      Json{{"method", kind == PasswordLink::activation ? "activation_link" : "reset_link"}});
  // The first password makes the account usable: the welcome goes out now (once: the link is
  // spent in this transaction). A pending account is welcomed by its approval mail instead.
  if (kind == PasswordLink::activation &&
      (u.status == Status::active || u.status == Status::silenced)) {
    queue_person_mail(mail::MailKind::welcome, u);
  }
  tx.commit();
  return {LinkState::usable, u};
}

crypto::KeyPair UserService::ensure_keys(std::int64_t id) {
  auto pub = m_store.public_key(id);
  if (pub && !pub->empty()) return {*pub, m_store.private_key(id).value_or("")};
  const auto fresh = crypto::generate_rsa_key_pair();
  // Another process may have been first: keep whichever landed.
  m_store.set_keys(id, fresh.public_pem, fresh.private_pem, false, m_env.clock.now());
  return {m_store.public_key(id).value_or(""), m_store.private_key(id).value_or("")};
}

std::optional<std::string> UserService::existing_public_key(std::int64_t id) {
  auto pub = m_store.public_key(id);
  if (pub && pub->empty()) return std::nullopt;
  return pub;
}

std::string UserService::ensure_public_key(std::int64_t id) {
  if (auto pub = existing_public_key(id)) return *pub;
  return ensure_keys(id).public_pem;
}

std::size_t UserService::announce_change(const User& u,
                                         std::optional<std::int64_t> retired_key_id) {
  std::size_t queued = 0;
  for (auto* e : account_events(m_env)) queued += e->changed(m_env, u, retired_key_id);
  return queued;
}

std::vector<User> UserService::rotate_keys(const std::vector<std::string>& refs,
                                           const Progress& progress) {
  std::vector<std::int64_t> ids;
  if (refs.empty()) {
    ids = m_store.local_ids_with_keys_needed(true);
  } else {
    for (const auto& r : refs) {
      const User u = resolve(r);
      if (u.status == Status::deleted) {
        throw Error(ErrorKind::conflict, fmt::format("{} is deleted", u.username));
      }
      ids.push_back(u.id);
    }
  }
  std::vector<User> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // Generate outside the transaction; each user's change commits on its own so an
    // interrupted --all run keeps what it did.
    const auto keys = crypto::generate_rsa_key_pair();
    db::Transaction tx(m_env.db);
    // Peers cache the old key and do not fetch again when a signature fails, so the Update
    // carrying the new key is signed with the old one (kept for its deliveries only); what
    // follows is signed with the new key.
    const auto old_key = m_store.private_key(ids[i]);
    std::optional<std::int64_t> retired;
    if (old_key && !old_key->empty()) {
      retired = m_store.retire_key(ids[i], *old_key, m_env.clock.now());
    }
    m_store.set_keys(ids[i], keys.public_pem, keys.private_pem, true, m_env.clock.now());
    out.push_back(must_find(ids[i]));
    if (announce_change(out.back(), retired) == 0 && retired) m_store.drop_retired_key(*retired);
    audit::record(m_env, "users.rotate_keys", out.back().audit_target());
    tx.commit();
    if (progress) progress(i + 1, ids.size());
  }
  return out;
}

}  // namespace instctl::users
