-- Every signed inbox POST finds the sender's cached key by its keyId: without an index that is
-- a scan of every account, and its cost grows with every remote account the instance knows.
CREATE INDEX accounts_key_id ON accounts (key_id) WHERE key_id IS NOT NULL;
