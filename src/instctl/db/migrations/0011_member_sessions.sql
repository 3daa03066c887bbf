-- Members signed in to the instance's own pages (/auth/sign_in, /settings). The cookie's
-- value is a random token shown only to the browser; the table keeps its SHA-256, so a copy
-- of the database signs nobody in. A session ends at expires_at, at sign-out, or when the
-- account's password is set again (a reset link ends every session of the account).
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, for the lock-out: keyed by the account when the name typed is one, else by
-- the name typed (lower case), so an unknown name is locked out exactly as a known one is and
-- the answers do not tell them apart. A successful sign-in deletes the row.
CREATE TABLE sign_in_failures (
  login_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failed_at INTEGER NOT NULL,  -- start of the counting window
  locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_failures_first ON sign_in_failures (first_failed_at);

-- The profile directory becomes opt-in: accounts created from now on are not listed
-- (accounts.discoverable = 0, set by the insert; the column's default stays 1 because SQLite
-- cannot change a default without rebuilding the table, and remote accounts take theirs from
-- their actor). Existing local accounts keep their state: they were created when being listed
-- was the documented behaviour, their profiles and directory entries may already be linked
-- and indexed elsewhere, and unlisting them all at once would silently change what the instance
-- publishes about them. Members change it themselves on /settings; admins with
-- `instctl users modify USER --no-discoverable`.
