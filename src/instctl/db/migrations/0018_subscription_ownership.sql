-- Subscription refreshes write a row per domain in these tables, so each write is made lighter:
-- - the lists holding a block subscriptions made are a column of subscription_blocks (their
--   ids, space-separated; '' when none holds it any more) instead of a table of their own,
--   so a block takes one row, not two;
-- - subscription_entries is keyed by (subscription_id, domain) alone (WITHOUT ROWID), so an
--   entry is written to two b-trees instead of three.
ALTER TABLE subscription_blocks ADD COLUMN holders TEXT NOT NULL DEFAULT '';
UPDATE subscription_blocks SET holders = COALESCE((SELECT group_concat(h.subscription_id, ' ')
  FROM subscription_block_holders h WHERE h.domain = subscription_blocks.domain), '');
DROP TABLE subscription_block_holders;

CREATE TABLE subscription_entries_keyed (
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('noop', 'silence', 'suspend')),
  reject_media INTEGER NOT NULL DEFAULT 0,
  reject_reports INTEGER NOT NULL DEFAULT 0,
  obfuscate INTEGER NOT NULL DEFAULT 0,
  public_comment TEXT,
  PRIMARY KEY (subscription_id, domain)
) WITHOUT ROWID;
INSERT INTO subscription_entries_keyed (subscription_id, domain, severity, reject_media,
  reject_reports, obfuscate, public_comment)
  SELECT subscription_id, domain, severity, reject_media, reject_reports, obfuscate,
    public_comment FROM subscription_entries;
DROP TABLE subscription_entries;
ALTER TABLE subscription_entries_keyed RENAME TO subscription_entries;
CREATE INDEX subscription_entries_domain ON subscription_entries (domain);
