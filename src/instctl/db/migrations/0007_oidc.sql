-- Partner sign-up through an OpenID Connect provider (auth.oidc.*).

-- Sign-ins under way: one row per redirect to the provider, shared by every `serve` replica.
-- The state is stored as its SHA-256 (the value itself travels only in the browser), and a
-- row is claimed once, before it expires, by a single UPDATE ... RETURNING.
CREATE TABLE oidc_logins (
  id INTEGER PRIMARY KEY,
  state_hash TEXT NOT NULL UNIQUE,
  browser_hash TEXT NOT NULL,       -- SHA-256 of the browser's cookie nonce: no login CSRF
  nonce TEXT NOT NULL,
  code_verifier TEXT,               -- PKCE (S256)
  invite_code TEXT,                 -- the invite page the person came from, if any
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  claimed_at INTEGER
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);

-- Identities the provider vouched for that still need a username: the sign-up form carries
-- a ticket (stored as its SHA-256), used once when the account is created.
CREATE TABLE oidc_tickets (
  id INTEGER PRIMARY KEY,
  ticket_hash TEXT NOT NULL UNIQUE,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0,
  preferred_username TEXT,
  name TEXT,
  invite_code TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX oidc_tickets_expires ON oidc_tickets (expires_at);

-- Local accounts linked to an external identity: the issuer and subject, never the email.
CREATE TABLE account_identities (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT,                       -- as the provider said at linking, for admins only
  linked_at INTEGER NOT NULL,
  UNIQUE (issuer, subject),
  UNIQUE (account_id, issuer)
);
