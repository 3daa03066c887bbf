#pragma once

// SQL of partner sign-up: sign-ins under way (oidc_logins), verified identities waiting for
// a username (oidc_tickets) and the links between accounts and identities
// (account_identities). Secrets are stored as SHA-256 hashes, claims are single statements.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::auth {

// What a trip to the provider is for: joining (the invite and sign-up pages), signing in to
// an account whose identity is linked (/auth/sign_in), or linking the identity to the
// signed-in account (/settings). It is kept in the sign-in's row (oidc_logins.purpose and
// link_account_id), which the browser's nonce binds (browser_hash), so the callback learns
// it from the row the state names, and a link goes only to the account that started it.
enum class LoginPurpose { sign_up, sign_in, link };
const char* to_string(LoginPurpose p);
std::optional<LoginPurpose> parse_login_purpose(std::string_view text);
struct LoginIntent {
  LoginPurpose purpose = LoginPurpose::sign_up;
  std::int64_t account_id = 0;  // link: the signed-in account
};
struct PendingLogin {
  std::string state_hash;
  std::string browser_hash;  // SHA-256 of the browser's nonce
  // Nothing in rows written before migration 0017, whose browser_hash mixes the purpose in.
  std::optional<LoginPurpose> purpose;
  std::optional<std::int64_t> link_account_id;
  std::string nonce;
  std::optional<std::string> code_verifier;
  std::optional<std::string> invite_code;
  UnixTime created_at = 0;
  UnixTime expires_at = 0;
};

struct Ticket {
  std::string issuer;
  std::string subject;
  std::optional<std::string> email;
  bool email_verified = false;
  std::optional<std::string> preferred_username;
  std::optional<std::string> name;
  std::optional<std::string> invite_code;
  UnixTime expires_at = 0;
};

struct Identity {
  std::int64_t account_id = 0;
  std::string issuer;
  std::string subject;
  std::optional<std::string> email;
  UnixTime linked_at = 0;
};
// issuer, subject, email, linked_at: the fields `users show` prints.
Json to_json(const Identity& i);

class OidcStore {
 public:
  explicit OidcStore(db::Connection& db) : m_db(db) {}

  void insert_login(const PendingLogin& login);
  // Marks the sign-in with this state hash used and returns it, when it exists, was never
  // claimed and has not expired: one statement, so a replayed state finds nothing.
  std::optional<PendingLogin> claim_login(std::string_view state_hash, UnixTime now);

  void insert_ticket(std::string_view ticket_hash, const Ticket& t, UnixTime now);
  // An unused, unexpired ticket, without using it.
  std::optional<Ticket> find_ticket(std::string_view ticket_hash, UnixTime now);
  // Uses the ticket (inside the caller's transaction); false when it was used or expired.
  bool use_ticket(std::string_view ticket_hash, UnixTime now);

  // Forgets sign-ins and tickets that expired before `before`.
  void prune(UnixTime before);

  std::optional<Identity> identity(std::string_view issuer, std::string_view subject);
  std::vector<Identity> identities_of(std::int64_t account_id);
  // Conflict (unique violation) when the identity or the account is linked already.
  void link(const Identity& i);
  // Removes the account's links; returns them.
  std::vector<Identity> unlink_all(std::int64_t account_id);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::auth
