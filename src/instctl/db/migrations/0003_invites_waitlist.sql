-- Invites: codes that let people register (instctl invites, users create --invite).
-- Redemption claims one use with a single UPDATE guarded by uses < max_uses.
CREATE TABLE invites (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,                 -- upper case, unambiguous alphabet
  max_uses INTEGER NOT NULL DEFAULT 1 CHECK (max_uses >= 1),
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER,
  note TEXT NOT NULL DEFAULT '',
  email TEXT,                                -- bound to this address when set
  email_key TEXT,
  autofollow_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  waitlist_id INTEGER,                       -- the waitlist entry it admitted (ids never reused)
  created_by TEXT NOT NULL DEFAULT '',
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX invites_created ON invites (created_at);
CREATE INDEX invites_waitlist ON invites (waitlist_id) WHERE waitlist_id IS NOT NULL;

-- The waitlist: people queueing for an invite. Queue order: priority (higher first), then
-- time joined, then id.
CREATE TABLE waitlist (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,            -- normalised: trimmed, lower case
  username TEXT,                             -- the username they would like
  reason TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  priority INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'waiting'
    CHECK (status IN ('waiting', 'invited', 'joined', 'rejected')),
  invite_id INTEGER UNIQUE REFERENCES invites (id) ON DELETE SET NULL,
  reject_reason TEXT,
  invited_at INTEGER,
  joined_at INTEGER,
  rejected_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX waitlist_queue ON waitlist (status, priority DESC, created_at, id);

-- Email domains whose addresses may not sign up or join the waitlist (subdomains included).
CREATE TABLE email_domain_blocks (
  domain TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);

-- Outgoing invite mail. A row is claimed (unsent -> sending) by one statement before the
-- message goes out and marked sent right after, so two runs never send the same row and a
-- failed send stays unsent for the next run.
CREATE TABLE mails (
  id INTEGER PRIMARY KEY,
  invite_id INTEGER NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
  recipient TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'unsent'
    CHECK (state IN ('unsent', 'sending', 'sent', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  claimed_at INTEGER,
  sent_at INTEGER,
  message_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX mails_state ON mails (state, id);
CREATE INDEX mails_invite ON mails (invite_id);
CREATE INDEX accounts_invite_code ON accounts (invite_code) WHERE invite_code IS NOT NULL;
