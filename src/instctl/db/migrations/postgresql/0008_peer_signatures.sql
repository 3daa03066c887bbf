-- PostgreSQL: the same schema as ../0008_peer_signatures.sql.
-- Which HTTP signature standard each peer instance takes (federation/peer_signing.hpp).
-- draft-cavage until there is evidence of RFC 9421: the peer signed to us with it, its
-- NodeInfo names a version known to verify it, or it refused draft-cavage and took RFC 9421.
ALTER TABLE peers ADD COLUMN signature_forced TEXT;   -- 'cavage' or 'rfc9421' set by an admin; NULL: auto
ALTER TABLE peers ADD COLUMN signature_learned TEXT;  -- the standard that last worked; NULL: not known yet
ALTER TABLE peers ADD COLUMN rfc9421_signed_at BIGINT;  -- last time the peer signed to us with RFC 9421
ALTER TABLE peers ADD COLUMN rfc9421_refused_at BIGINT;  -- last time it answered 400/401 to an RFC 9421 signature
