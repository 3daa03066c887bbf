-- Subscription refreshes write a row per domain in these tables, so each write is made lighter:
-- the lists holding a block subscriptions made are a column of subscription_blocks (their ids,
-- space-separated; '' when none holds it any more) instead of a table of their own, so a block
-- takes one row, not two. (SQLite also rebuilds subscription_entries WITHOUT ROWID; a
-- PostgreSQL table has no rowid.)
ALTER TABLE subscription_blocks ADD COLUMN holders TEXT NOT NULL DEFAULT '';
UPDATE subscription_blocks SET holders = COALESCE((SELECT string_agg(h.subscription_id::text,
  ' ' ORDER BY h.subscription_id) FROM subscription_block_holders h
  WHERE h.domain = subscription_blocks.domain), '');
DROP TABLE subscription_block_holders;
