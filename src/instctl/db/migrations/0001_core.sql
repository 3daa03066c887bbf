-- The instance itself: one row.
CREATE TABLE instance (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  domain TEXT NOT NULL,          -- the web host, may carry a port (localhost:8080)
  account_domain TEXT NOT NULL,  -- the handle domain (@user@account_domain)
  actor_public_key_pem TEXT,     -- the instance actor (/actor) signs Flags and fetches
  actor_private_key_pem TEXT,
  created_at INTEGER NOT NULL
);

-- Instance settings (instctl config); keys and validation live in core/config_keys.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Accounts, local (domain = '') and remote. Local ones are the instance's users.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL,              -- lower case, for case-insensitive uniqueness
  domain TEXT NOT NULL DEFAULT '',         -- '' for local accounts
  email TEXT,
  email_key TEXT,                          -- lower case, unique among local accounts
  display_name TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',           -- the profile bio
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
  password_hash TEXT,
  activation_token_hash TEXT,
  activation_expires_at INTEGER,
  reset_token_hash TEXT,
  reset_expires_at INTEGER,
  invite_code TEXT,                        -- the invite redeemed at sign-up
  approved INTEGER NOT NULL DEFAULT 1,     -- 0 while in the pending queue
  suspended_at INTEGER,
  silenced_at INTEGER,
  disabled_at INTEGER,
  deleted_at INTEGER,                      -- tombstone: the username stays reserved
  status_reason TEXT,
  manually_approves_followers INTEGER NOT NULL DEFAULT 0,
  discoverable INTEGER NOT NULL DEFAULT 1,
  -- ActivityPub: for local accounts the URIs are derived from the public URL.
  actor_uri TEXT,
  inbox_url TEXT,
  shared_inbox_url TEXT,
  profile_url TEXT,
  key_id TEXT,
  public_key_pem TEXT,
  private_key_pem TEXT,                    -- local accounts only
  keys_created_at INTEGER,
  last_fetched_at INTEGER,                 -- remote accounts: last refresh of the actor
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_username ON accounts (username_key, domain);
CREATE UNIQUE INDEX accounts_email ON accounts (email_key) WHERE domain = '' AND email_key IS NOT NULL;
CREATE UNIQUE INDEX accounts_actor_uri ON accounts (actor_uri) WHERE actor_uri IS NOT NULL;
CREATE INDEX accounts_domain ON accounts (domain);

-- Follow relationships between accounts (local or remote on either side).
CREATE TABLE follows (
  id INTEGER PRIMARY KEY,
  follower_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  followed_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('pending', 'accepted')),
  activity_uri TEXT,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX follows_pair ON follows (follower_id, followed_id);
CREATE INDEX follows_followed ON follows (followed_id);

-- The instance rules that reports refer to. Removed rules stay for old reports.
CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL,
  hint TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  removed_at INTEGER
);

-- The audit log: append-only, enforced by the triggers below.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
