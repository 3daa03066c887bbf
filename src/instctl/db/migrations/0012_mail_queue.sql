-- One queue for every mail instctl sends (invites, sign-up approved or rejected, welcome,
-- moderation actions, notifications to moderators, password resets, waitlist confirmations),
-- sent by the one sender with the same claim and lease. `kind` names the mail. An invite mail
-- is still written when it is sent, from its invite (invite_id, which only invite mails have);
-- every other mail is written when it is queued, from what was true then (subject, body).
-- SQLite cannot drop NOT NULL from invite_id: the table is copied.
CREATE TABLE mails_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'invite',
  invite_id INTEGER REFERENCES invites (id) ON DELETE CASCADE,
  recipient TEXT NOT NULL,
  subject TEXT,
  body TEXT,
  state TEXT NOT NULL DEFAULT 'unsent'
    CHECK (state IN ('unsent', 'sending', 'sent', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  claimed_at INTEGER,
  sent_at INTEGER,
  message_id TEXT,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'invite') = (invite_id IS NOT NULL)),
  CHECK (kind = 'invite' OR (subject IS NOT NULL AND body IS NOT NULL))
);
INSERT INTO mails_new (id, kind, invite_id, recipient, state, attempts, last_error, claimed_at,
                       sent_at, message_id, created_at)
  SELECT id, 'invite', invite_id, recipient, state, attempts, last_error, claimed_at, sent_at,
         message_id, created_at
  FROM mails;
DROP TABLE mails;
ALTER TABLE mails_new RENAME TO mails;
CREATE INDEX mails_state ON mails (state, id);
CREATE INDEX mails_invite ON mails (invite_id);
-- Which mails a moderator or admin gets as things happen: 'reports' (a new report),
-- 'pending' (a sign-up waits for approval), both separated by a comma, or 'none'. Ignored for
-- other roles: notifications only ever go to staff.
ALTER TABLE accounts ADD COLUMN notify TEXT NOT NULL DEFAULT 'reports,pending';
