-- Mail retries follow the deliveries' rule (core/retry.hpp): a failed mail waits until
-- next_attempt_at (exponential backoff with a cap), and is given up after about three days
-- in the new state 'failed' (its last_error says why). SQLite cannot change a CHECK: the
-- table is copied.
CREATE TABLE mails_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'invite',
  invite_id INTEGER REFERENCES invites (id) ON DELETE CASCADE,
  recipient TEXT NOT NULL,
  subject TEXT,
  body TEXT,
  state TEXT NOT NULL DEFAULT 'unsent'
    CHECK (state IN ('unsent', 'sending', 'sent', 'cancelled', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  claimed_at INTEGER,
  sent_at INTEGER,
  message_id TEXT,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  CHECK ((kind = 'invite') = (invite_id IS NOT NULL)),
  CHECK (kind = 'invite' OR (subject IS NOT NULL AND body IS NOT NULL))
);
INSERT INTO mails_new (id, kind, invite_id, recipient, subject, body, state, attempts,
                       last_error, claimed_at, sent_at, message_id, created_at)
  SELECT id, kind, invite_id, recipient, subject, body, state, attempts, last_error,
         claimed_at, sent_at, message_id, created_at
  FROM mails;
DROP TABLE mails;
ALTER TABLE mails_new RENAME TO mails;
CREATE INDEX mails_state ON mails (state, id);
CREATE INDEX mails_invite ON mails (invite_id);
-- When a moderator or admin who chose the daily digest (notify = 'digest') was last sent one:
-- the next is due a day later, and it tells what happened since. Claimed by one UPDATE, so two
-- serve processes and a cron run queue one digest.
ALTER TABLE accounts ADD COLUMN digest_at INTEGER;
