-- Blocklist subscriptions: lists the community keeps, fetched by `federation subscriptions
-- refresh` (conditional GET: etag / last_modified of the last good answer). A failed fetch
-- keeps the entries of the last good one and records why (last_result, last_error).
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL UNIQUE,
  format TEXT CHECK (format IN ('mastodon-csv', 'json', 'text')),  -- NULL: detected
  trust TEXT NOT NULL DEFAULT 'draft' CHECK (trust IN ('auto', 'draft')),
  severity_cap TEXT NOT NULL DEFAULT 'suspend' CHECK (severity_cap IN ('silence', 'suspend')),
  etag TEXT,
  last_modified TEXT,
  last_result TEXT,                        -- updated, unchanged, failed, garbage
  last_error TEXT,
  last_refresh_at INTEGER,
  last_success_at INTEGER,
  created_at INTEGER NOT NULL
);

-- What each list says, as of its last good fetch (severity already under the list's cap).
CREATE TABLE subscription_entries (
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('noop', 'silence', 'suspend')),
  reject_media INTEGER NOT NULL DEFAULT 0,
  reject_reports INTEGER NOT NULL DEFAULT 0,
  obfuscate INTEGER NOT NULL DEFAULT 0,
  public_comment TEXT,
  PRIMARY KEY (subscription_id, domain)
);
CREATE INDEX subscription_entries_domain ON subscription_entries (domain);

-- The domain blocks subscriptions made (a block made by hand has no row here), and which
-- subscriptions held each when it was last applied.
CREATE TABLE subscription_blocks (
  domain TEXT PRIMARY KEY,
  updated_at INTEGER NOT NULL
);
CREATE TABLE subscription_block_holders (
  domain TEXT NOT NULL REFERENCES subscription_blocks (domain) ON DELETE CASCADE,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  PRIMARY KEY (domain, subscription_id)
);

-- Changes waiting for review (trust 'draft'): one row per domain. A rejected draft stays, with
-- the fingerprint of what the lists said, and is not proposed again until that changes.
CREATE TABLE subscription_drafts (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('block', 'change', 'retract')),
  severity TEXT CHECK (severity IN ('noop', 'silence', 'suspend')),  -- NULL for a retraction
  reject_media INTEGER NOT NULL DEFAULT 0,
  reject_reports INTEGER NOT NULL DEFAULT 0,
  obfuscate INTEGER NOT NULL DEFAULT 0,
  public_comment TEXT,
  held_by TEXT NOT NULL,                   -- the lists' names, for people
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX subscription_drafts_state ON subscription_drafts (state, id);

-- The consensus rule: a domain is blocked when at least `threshold` lists name it, with the
-- weakest (or strongest) severity among them. One row once an admin sets it; none means
-- threshold 1, weakest. No row is seeded, so `db copy` finds the table empty like any other.
CREATE TABLE subscription_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  threshold INTEGER NOT NULL DEFAULT 1,
  severity TEXT NOT NULL DEFAULT 'weakest' CHECK (severity IN ('weakest', 'strongest')),
  updated_at INTEGER
);
