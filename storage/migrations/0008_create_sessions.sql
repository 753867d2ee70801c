-- Issue 3, authentication state that belongs to a PERSON, not to an organization: sessions,
-- password reset tokens and login throttling. All three are GLOBAL tables like users (no org_id,
-- no row-level security; migrate_pgtest lists them as the declared global tables).
--
-- Secrets are never stored: a session id, a reset token is 256 random bits given to the client
-- once; only SHA-256(secret) is kept (bytea, 32 bytes; ASVS 6.5.2 allows a plain hash for
-- secrets of >= 112 bits). Every time below is written from the caller's clock (bound by
-- storage/*.cpp), never now() in a decision.

-- One login of one person (storage/session_repo.cpp). Valid while revoked_at IS NULL and
-- now < idle_expires_at and now < absolute_expires_at. active_org_id has no foreign key: it names
-- a tenant row from a global table, and load_session reports it only while the user is still a
-- member of that organization.
CREATE TABLE sessions (
  id_hash             bytea       PRIMARY KEY
                      CONSTRAINT sessions_id_hash_sha256 CHECK (octet_length(id_hash) = 32),
  user_id             uuid        NOT NULL
                      CONSTRAINT sessions_user_fk REFERENCES users (user_id) ON DELETE CASCADE,
  active_org_id       uuid        NULL,
  auth_method         text        NOT NULL DEFAULT 'password'
                      CONSTRAINT sessions_auth_method_form CHECK (auth_method ~ '^[a-z_]{1,40}$'),
  created_at          timestamptz NOT NULL,
  last_seen_at        timestamptz NOT NULL,
  idle_expires_at     timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  revoked_at          timestamptz NULL,
  revoke_reason       text        NULL
                      CONSTRAINT sessions_revoke_reason_form CHECK (revoke_reason ~ '^[a-z_]{1,40}$'),
  ip                  inet        NULL,
  user_agent          text        NULL
                      CONSTRAINT sessions_user_agent_length CHECK (octet_length(user_agent) <= 512),
  CONSTRAINT sessions_idle_within_absolute CHECK (idle_expires_at <= absolute_expires_at),
  CONSTRAINT sessions_expiry_after_creation CHECK (absolute_expires_at > created_at),
  CONSTRAINT sessions_revoked_with_reason CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);

-- "End every session of this user" and the per-user listing touch only live sessions.
CREATE INDEX sessions_user_live ON sessions (user_id) WHERE revoked_at IS NULL;
-- purge_sessions.
CREATE INDEX sessions_absolute_expiry ON sessions (absolute_expires_at);

-- Password reset tokens (storage/password_reset_repo.cpp): single use (used_at), superseded by a
-- newer request (invalidated_at), at most 30 minutes (checked by the repository from the
-- caller's clock, and bounded here against the row's own created_at).
CREATE TABLE password_resets (
  token_hash     bytea       PRIMARY KEY
                 CONSTRAINT password_resets_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
  user_id        uuid        NOT NULL
                 CONSTRAINT password_resets_user_fk REFERENCES users (user_id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz NULL,
  invalidated_at timestamptz NULL,
  CONSTRAINT password_resets_lifetime
    CHECK (expires_at > created_at AND expires_at <= created_at + interval '30 minutes')
);

CREATE INDEX password_resets_user_open ON password_resets (user_id)
  WHERE used_at IS NULL AND invalidated_at IS NULL;
CREATE INDEX password_resets_expiry ON password_resets (expires_at);

-- Failed-login counters (storage/login_throttle_repo.cpp; the policy is the pure
-- actors/domain/login_throttle.cpp). key: 'email:<normalized e-mail>' or 'ip:<address>'.
CREATE TABLE login_throttles (
  throttle_key text        PRIMARY KEY
               CONSTRAINT login_throttles_key_form
               CHECK (throttle_key ~ '^(email|ip):' AND octet_length(throttle_key) <= 300),
  failures     integer     NOT NULL CONSTRAINT login_throttles_failures_positive CHECK (failures >= 0),
  window_start timestamptz NOT NULL,
  locked_until timestamptz NULL,
  updated_at   timestamptz NOT NULL
);
