#include "instctl/auth/oidc_store.hpp"

#include "instctl/util/time.hpp"

namespace instctl::auth {

namespace {

constexpr const char* k_login_columns =
    "state_hash, browser_hash, purpose, link_account_id, nonce, code_verifier, invite_code, "
    "created_at, expires_at";

PendingLogin login_from(db::Statement& st) {
  PendingLogin l;
  std::optional<std::string> purpose;
  st.read_all(l.state_hash, l.browser_hash, purpose, l.link_account_id, l.nonce, l.code_verifier,
              l.invite_code, l.created_at, l.expires_at);
  if (purpose) l.purpose = parse_login_purpose(*purpose);
  return l;
}

constexpr const char* k_identity_columns = "account_id, issuer, subject, email, linked_at";

Identity identity_from(db::Statement& st) {
  Identity i;
  st.read_all(i.account_id, i.issuer, i.subject, i.email, i.linked_at);
  return i;
}

}  // namespace

const char* to_string(LoginPurpose p) {
  switch (p) {
    case LoginPurpose::sign_up:
      return "sign_up";
    case LoginPurpose::sign_in:
      return "sign_in";
    case LoginPurpose::link:
      return "link";
  }
  return "sign_up";
}

std::optional<LoginPurpose> parse_login_purpose(std::string_view text) {
  for (auto p : {LoginPurpose::sign_up, LoginPurpose::sign_in, LoginPurpose::link}) {
    if (text == to_string(p)) return p;
  }
  return std::nullopt;
}

Json to_json(const Identity& i) {
  return Json{{"issuer", i.issuer},
              {"subject", i.subject},
              {"email", i.email ? Json(*i.email) : Json(nullptr)},
              {"linked_at", util::format_time(i.linked_at)}};
}

void OidcStore::insert_login(const PendingLogin& l) {
  m_db.prepare(std::string("INSERT INTO oidc_logins (") + k_login_columns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      ->bind_all(l.state_hash, l.browser_hash,
                 l.purpose ? std::optional<std::string>(to_string(*l.purpose)) : std::nullopt,
                 l.link_account_id, l.nonce, l.code_verifier, l.invite_code, l.created_at,
                 l.expires_at)
      .run();
}

std::optional<PendingLogin> OidcStore::claim_login(std::string_view state_hash, UnixTime now) {
  auto st = m_db.prepare(std::string("UPDATE oidc_logins SET claimed_at = ? WHERE state_hash = ? "
                                     "AND claimed_at IS NULL AND expires_at > ? RETURNING ") +
                         k_login_columns);
  st->bind_all(now, state_hash, now);
  if (!st->step()) return std::nullopt;
  auto l = login_from(*st);
  st->run();
  return l;
}

void OidcStore::insert_ticket(std::string_view ticket_hash, const Ticket& t, UnixTime now) {
  m_db.prepare(
          "INSERT INTO oidc_tickets (ticket_hash, issuer, subject, email, email_verified, "
          "preferred_username, name, invite_code, created_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      ->bind_all(ticket_hash, t.issuer, t.subject, t.email, t.email_verified, t.preferred_username,
                 t.name, t.invite_code, now, t.expires_at)
      .run();
}

std::optional<Ticket> OidcStore::find_ticket(std::string_view ticket_hash, UnixTime now) {
  auto st = m_db.prepare(
      "SELECT issuer, subject, email, email_verified, preferred_username, name, invite_code, "
      "expires_at FROM oidc_tickets WHERE ticket_hash = ? AND used_at IS NULL AND expires_at > ?");
  st->bind_all(ticket_hash, now);
  if (!st->step()) return std::nullopt;
  Ticket t;
  st->read_all(t.issuer, t.subject, t.email, t.email_verified, t.preferred_username, t.name,
               t.invite_code, t.expires_at);
  return t;
}

bool OidcStore::use_ticket(std::string_view ticket_hash, UnixTime now) {
  m_db.prepare(
          "UPDATE oidc_tickets SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL AND "
          "expires_at > ?")
      ->bind_all(now, ticket_hash, now)
      .run();
  return m_db.changes() == 1;
}

void OidcStore::prune(UnixTime before) {
  m_db.prepare("DELETE FROM oidc_logins WHERE expires_at < ?")->bind_all(before).run();
  m_db.prepare("DELETE FROM oidc_tickets WHERE expires_at < ?")->bind_all(before).run();
}

std::optional<Identity> OidcStore::identity(std::string_view issuer, std::string_view subject) {
  auto st = m_db.prepare(std::string("SELECT ") + k_identity_columns +
                         " FROM account_identities WHERE issuer = ? AND subject = ?");
  st->bind_all(issuer, subject);
  if (!st->step()) return std::nullopt;
  return identity_from(*st);
}

std::vector<Identity> OidcStore::identities_of(std::int64_t account_id) {
  auto st = m_db.prepare(std::string("SELECT ") + k_identity_columns +
                         " FROM account_identities WHERE account_id = ? ORDER BY id");
  st->bind_all(account_id);
  std::vector<Identity> out;
  while (st->step()) out.push_back(identity_from(*st));
  return out;
}

void OidcStore::link(const Identity& i) {
  m_db.prepare(std::string("INSERT INTO account_identities (") + k_identity_columns +
               ") VALUES (?, ?, ?, ?, ?)")
      ->bind_all(i.account_id, i.issuer, i.subject, i.email, i.linked_at)
      .run();
}

std::vector<Identity> OidcStore::unlink_all(std::int64_t account_id) {
  auto out = identities_of(account_id);
  m_db.prepare("DELETE FROM account_identities WHERE account_id = ?")->bind_all(account_id).run();
  return out;
}

}  // namespace instctl::auth
