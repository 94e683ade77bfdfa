-- Up Migration
CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  -- Kept as the user typed it; uniqueness and look-ups ignore case (users_email_key).
  email         text        NOT NULL,
  name          text        NOT NULL,
  -- PHC-style string: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, so the cost can change without a migration.
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Ed25519 key pairs that sign access tokens. The newest unretired key signs; JWKS lists the unretired
-- ones plus those retired recently enough that tokens they signed may still be live.
CREATE TABLE signing_keys (
  kid         text        PRIMARY KEY,
  public_jwk  jsonb       NOT NULL,
  private_jwk jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- One family per sign-in. Each refresh replaces the family's token with a new one; a replaced token
-- coming back means someone else holds a copy, and revokes the family. Every change to a family's
-- tokens happens under a lock on its row, so concurrent refreshes and sign-outs queue up.
CREATE TABLE refresh_families (
  id             uuid        PRIMARY KEY,
  user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  -- 'reused' (a replaced token was presented) or 'signed-out'.
  revoked_reason text
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);

-- Opaque refresh tokens, stored only as their SHA-256.
CREATE TABLE refresh_tokens (
  id          uuid        PRIMARY KEY,
  token_hash  bytea       NOT NULL UNIQUE,
  family_id   uuid        NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  -- Set when a refresh used this token; it is then spent for good.
  replaced_by uuid        REFERENCES refresh_tokens (id)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Down Migration
DROP TABLE refresh_tokens;
DROP TABLE refresh_families;
DROP TABLE signing_keys;
DROP TABLE users;
