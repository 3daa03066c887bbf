-- PostgreSQL: the same schema as ../0017_oidc_login_purpose.sql.
-- What a partner sign-in is for, in columns of its own: 'sign_up' (the invite and sign-up
-- pages), 'sign_in' (an account whose identity is linked) or 'link' (linking the identity to
-- the signed-in account link_account_id). browser_hash is then the SHA-256 of the browser's
-- nonce alone. Rows written before this migration (unclaimed ones live ten minutes) keep
-- purpose NULL: their purpose is still mixed into browser_hash, and the callback reads it
-- from there.
ALTER TABLE oidc_logins ADD COLUMN purpose TEXT
  CHECK (purpose IN ('sign_up', 'sign_in', 'link'));
ALTER TABLE oidc_logins ADD COLUMN link_account_id BIGINT;
