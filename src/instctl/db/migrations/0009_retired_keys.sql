-- Key rotation that peers can follow. Peers cache an actor's key and do not fetch it again
-- when a signature fails, so the Update announcing a new key is signed with the key it
-- replaces. The replaced private key is kept here while deliveries still need it, and a
-- delivery row names the retired key that signs it (NULL: the sender's current key).
CREATE TABLE retired_keys (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  private_key_pem TEXT NOT NULL,
  retired_at INTEGER NOT NULL
);
CREATE INDEX retired_keys_account ON retired_keys (account_id);

ALTER TABLE deliveries ADD COLUMN signing_key_id INTEGER
  REFERENCES retired_keys (id) ON DELETE SET NULL;
CREATE INDEX deliveries_signing_key ON deliveries (signing_key_id);
