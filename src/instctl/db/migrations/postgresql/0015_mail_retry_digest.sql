-- Mail retries follow the deliveries' rule (core/retry.hpp): a failed mail waits until
-- next_attempt_at (exponential backoff with a cap), and is given up after about three days
-- in the new state 'failed' (its last_error says why).
ALTER TABLE mails ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE mails DROP CONSTRAINT mails_state_check;
ALTER TABLE mails ADD CONSTRAINT mails_state_check
  CHECK (state IN ('unsent', 'sending', 'sent', 'cancelled', 'failed'));
-- When a moderator or admin who chose the daily digest (notify = 'digest') was last sent one:
-- the next is due a day later, and it tells what happened since. Claimed by one UPDATE, so two
-- serve processes and a cron run queue one digest.
ALTER TABLE accounts ADD COLUMN digest_at BIGINT;
