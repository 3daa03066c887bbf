-- Moderation: reports (local and from remote instances), their notes, and strikes.

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  category TEXT NOT NULL CHECK (category IN ('spam', 'legal', 'violation', 'other')),
  target_account_id INTEGER NOT NULL REFERENCES accounts (id),
  reporter_account_id INTEGER REFERENCES accounts (id),  -- null: filed by the operator or a remote actor
  reporter_uri TEXT,                       -- a remote reporter's actor URI, when not a known account
  origin TEXT NOT NULL DEFAULT '',         -- '' for local reports, else the reporting domain
  comment TEXT NOT NULL DEFAULT '',
  activity_uri TEXT,                       -- the incoming Flag's id (redelivery stays one report)
  forwarded_at INTEGER,                    -- when a Flag was sent (or queued) to the target's instance
  forward_activity_uri TEXT,
  forward_activity TEXT,                   -- the Flag as sent (JSON)
  assigned_account_id INTEGER REFERENCES accounts (id),
  action_taken TEXT CHECK (action_taken IN ('none', 'warn', 'disable', 'silence', 'suspend')),
  resolved_at INTEGER,
  resolved_by_account_id INTEGER REFERENCES accounts (id),
  resolved_by TEXT,                        -- the moderator's username, or the operator's actor name
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX reports_open ON reports (status, created_at);
CREATE INDEX reports_target ON reports (target_account_id);
CREATE UNIQUE INDEX reports_activity ON reports (activity_uri, target_account_id)
  WHERE activity_uri IS NOT NULL;

-- The instance rules a `violation` report names.
CREATE TABLE report_rules (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  rule_id INTEGER NOT NULL REFERENCES rules (id),
  PRIMARY KEY (report_id, rule_id)
);

-- The posts a report points at (URLs, local or remote).
CREATE TABLE report_statuses (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
);

-- Moderators' notes on a report.
CREATE TABLE report_notes (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  author_account_id INTEGER REFERENCES accounts (id),
  author TEXT NOT NULL,                    -- username, or the operator's actor name
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX report_notes_report ON report_notes (report_id);

-- Strikes: every moderation action taken against an account (Mastodon's account warnings).
CREATE TABLE account_strikes (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  action TEXT NOT NULL CHECK (action IN ('warn', 'disable', 'silence', 'suspend')),
  text TEXT NOT NULL DEFAULT '',
  report_id INTEGER REFERENCES reports (id),
  moderator_account_id INTEGER REFERENCES accounts (id),
  moderator TEXT NOT NULL,                 -- username, or the operator's actor name
  created_at INTEGER NOT NULL
);
CREATE INDEX account_strikes_account ON account_strikes (account_id);
