-- Double opt-in for the waitlist. An entry made from the public page or POST /api/v1/waitlist
-- waits for its address to be confirmed: a link is mailed to it, and only the SHA-256 hash of
-- the link's token is kept (confirm_token_hash; kept after use, so a second use of the link is
-- told it was used). `waitlist process` admits confirmed entries only and removes the
-- unconfirmed ones older than waitlist.confirm_within.
ALTER TABLE waitlist ADD COLUMN confirmed_at INTEGER;
ALTER TABLE waitlist ADD COLUMN confirm_token_hash TEXT;
-- Every entry made before this migration counts as confirmed: no confirmation mail was ever
-- sent for it, so it could never be confirmed and would silently lose its place; the entries
-- were accepted under the rules of their time (an admin's import, or the page as it was), as
-- invites already sent to such addresses were.
UPDATE waitlist SET confirmed_at = created_at;
CREATE UNIQUE INDEX waitlist_confirm_token ON waitlist (confirm_token_hash)
  WHERE confirm_token_hash IS NOT NULL;
