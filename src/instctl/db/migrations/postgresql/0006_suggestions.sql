-- PostgreSQL: the same schema as ../0006_suggestions.sql.
-- Accounts an admin suggests to newcomers (instctl suggestions), shown on the welcome page.
CREATE TABLE account_suggestions (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- The accounts an invite's new members follow, in the order given (invites create
-- --autofollow, repeatable). Takes over from invites.autofollow_id, which is no longer used.
CREATE TABLE invite_autofollows (
  invite_id BIGINT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  PRIMARY KEY (invite_id, account_id)
);
INSERT INTO invite_autofollows (invite_id, account_id, position)
  SELECT id, autofollow_id, 0 FROM invites WHERE autofollow_id IS NOT NULL;
