-- PostgreSQL: the same schema as ../0005_onboarding.sql.
-- Secrets of the web pages (the CSRF token key), made on first use and shared by every
-- `serve` process of the instance. Never printed.
CREATE TABLE web_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Token buckets of the public POST endpoints, per client address. Kept in the database so
-- every thread and replica of `serve` shares them and a restart does not reset them.
CREATE TABLE rate_limits (
  bucket TEXT NOT NULL,          -- sign_up, waitlist, invite_lookup
  client TEXT NOT NULL,          -- the client's address
  tokens_milli BIGINT NOT NULL, -- tokens left, in thousandths
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (bucket, client)
);
CREATE INDEX rate_limits_updated ON rate_limits (updated_at);
