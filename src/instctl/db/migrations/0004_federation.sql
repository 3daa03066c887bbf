-- Federation policy: domain blocks (with Mastodon's severities and flags) and allows.
CREATE TABLE domain_blocks (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,             -- lower case; covers its subdomains
  severity TEXT NOT NULL DEFAULT 'suspend' CHECK (severity IN ('noop', 'silence', 'suspend')),
  reject_media INTEGER NOT NULL DEFAULT 0,
  reject_reports INTEGER NOT NULL DEFAULT 0,
  obfuscate INTEGER NOT NULL DEFAULT 0,
  public_comment TEXT,                     -- NULL and '' both exist in Mastodon exports
  private_comment TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE domain_allows (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- Instances seen through look-ups, deliveries and the inbox.
CREATE TABLE peers (
  domain TEXT PRIMARY KEY,
  software TEXT,
  software_version TEXT,
  first_seen_at INTEGER NOT NULL,
  last_contact_at INTEGER,                 -- last successful exchange
  last_error TEXT,
  last_error_at INTEGER
);

-- The outbound queue: one row per activity and inbox. A worker claims a row by setting
-- state 'delivering' with a lease; a row whose lease ran out (the worker died) is claimable
-- again, so nothing is lost and no two live workers hold the same row.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL,               -- the activity's "id"
  activity_type TEXT NOT NULL,
  activity TEXT NOT NULL,                  -- the JSON body, exactly as it will be sent
  sender_account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,  -- NULL: instance actor
  inbox_url TEXT NOT NULL,
  domain TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  give_up_at INTEGER NOT NULL,             -- after this a failing delivery is dead (~3 days)
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE UNIQUE INDEX deliveries_activity_inbox ON deliveries (activity_id, inbox_url);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
