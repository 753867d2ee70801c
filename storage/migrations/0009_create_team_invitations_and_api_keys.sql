-- Issue 3, organization-owned access: teammate invitations, API keys, OIDC SSO settings and SSO
-- login states. All four are TENANT tables: org_id first in the primary key and in every foreign
-- key to a tenant table, row-level security ENABLEd and FORCEd with the tenant_isolation policy of
-- 0007 (same text), in this migration.
--
-- Secrets are never stored, only SHA-256 digests (bytea, 32 bytes). The digest columns are unique
-- across ALL organizations on purpose: the token / key / state is the only thing the caller
-- presents, and the repository finds the organization from it (a cross-tenant lookup in a narrow
-- system scope). A 256-bit random secret cannot collide, so this unique index reveals nothing.

-- storage/team_invitation_repo.cpp. Status is computed: accepted_at, revoked_at, superseded_at
-- (an expired invitation replaced by a newer one) or expires_at vs the caller's now.
CREATE TABLE team_invitations (
  org_id           uuid        NOT NULL,
  invitation_id    uuid        NOT NULL DEFAULT gen_random_uuid(),
  email            text        NOT NULL
                   CONSTRAINT team_invitations_email_form
                   CHECK (char_length(email) BETWEEN 3 AND 254 AND email = btrim(email)),
  email_normalized text        NOT NULL
                   CONSTRAINT team_invitations_email_normalized_form
                   CHECK (char_length(email_normalized) BETWEEN 3 AND 254
                          AND email_normalized !~ '[A-Z]'
                          AND position('@' IN email_normalized) > 1),
  role             text        NOT NULL
                   CONSTRAINT team_invitations_role_known
                   CHECK (role IN ('owner', 'admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer')),
  token_hash       bytea       NOT NULL
                   CONSTRAINT team_invitations_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
  invited_by_kind  text        NOT NULL,
  invited_by_id    text        NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  accepted_at      timestamptz NULL,
  accepted_user_id uuid        NULL
                   CONSTRAINT team_invitations_accepted_user_fk REFERENCES users (user_id),
  revoked_at       timestamptz NULL,
  superseded_at    timestamptz NULL,
  sends            integer     NOT NULL DEFAULT 1
                   CONSTRAINT team_invitations_sends_positive CHECK (sends >= 1),
  last_sent_at     timestamptz NOT NULL,
  email_id         bigint      NULL,  -- the last e-mail queued (email_messages.id; no foreign
                                      -- key, so e-mail retention can delete old messages)
  PRIMARY KEY (org_id, invitation_id),
  CONSTRAINT team_invitations_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  CONSTRAINT team_invitations_token_hash_unique UNIQUE (token_hash),
  CONSTRAINT team_invitations_expiry_after_creation CHECK (expires_at > created_at),
  CONSTRAINT team_invitations_accepted_with_user
    CHECK ((accepted_at IS NULL) = (accepted_user_id IS NULL)),
  CONSTRAINT team_invitations_one_end
    CHECK (num_nonnulls(accepted_at, revoked_at, superseded_at) <= 1)
);

-- At most one open invitation per (organization, e-mail); scoped by org_id (a global unique
-- index would reveal across tenants that an address was invited).
CREATE UNIQUE INDEX team_invitations_open_email ON team_invitations (org_id, email_normalized)
  WHERE accepted_at IS NULL AND revoked_at IS NULL AND superseded_at IS NULL;
CREATE INDEX team_invitations_list ON team_invitations (org_id, created_at DESC);

ALTER TABLE team_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON team_invitations
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

-- storage/api_key_repo.cpp. prefix: the first characters of the key, shown to recognise it.
CREATE TABLE api_keys (
  org_id          uuid        NOT NULL,
  key_id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  name            text        NOT NULL
                  CONSTRAINT api_keys_name_form
                  CHECK (char_length(name) BETWEEN 1 AND 100 AND name = btrim(name)),
  prefix          text        NOT NULL
                  CONSTRAINT api_keys_prefix_form CHECK (prefix ~ '^[!-~]{4,16}$'),
  key_hash        bytea       NOT NULL
                  CONSTRAINT api_keys_key_hash_sha256 CHECK (octet_length(key_hash) = 32),
  role            text        NOT NULL
                  CONSTRAINT api_keys_role_known
                  CHECK (role IN ('owner', 'admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer')),
  created_by_kind text        NOT NULL,
  created_by_id   text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NULL,
  first_used_at   timestamptz NULL,
  last_used_at    timestamptz NULL,
  revoked_at      timestamptz NULL,
  PRIMARY KEY (org_id, key_id),
  CONSTRAINT api_keys_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  CONSTRAINT api_keys_key_hash_unique UNIQUE (key_hash),
  CONSTRAINT api_keys_expiry_after_creation CHECK (expires_at IS NULL OR expires_at > created_at),
  CONSTRAINT api_keys_used_together CHECK ((first_used_at IS NULL) = (last_used_at IS NULL))
);

CREATE INDEX api_keys_list ON api_keys (org_id, created_at DESC);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

-- storage/sso_repo.cpp: one row per organization. client_secret_enc is encrypted by the service;
-- the database only holds the bytes.
CREATE TABLE sso_configs (
  org_id            uuid        NOT NULL PRIMARY KEY,
  enabled           boolean     NOT NULL DEFAULT false,
  issuer            text        NOT NULL DEFAULT ''
                    CONSTRAINT sso_configs_issuer_length CHECK (octet_length(issuer) <= 500),
  client_id         text        NOT NULL DEFAULT ''
                    CONSTRAINT sso_configs_client_id_length CHECK (octet_length(client_id) <= 500),
  client_secret_enc bytea       NULL
                    CONSTRAINT sso_configs_secret_length CHECK (octet_length(client_secret_enc) <= 4096),
  allowed_domains   text[]      NOT NULL DEFAULT '{}',
  default_role      text        NOT NULL DEFAULT 'viewer'
                    CONSTRAINT sso_configs_role_known
                    CHECK (default_role IN ('owner', 'admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer')),
  sso_required      boolean     NOT NULL DEFAULT false,
  version           bigint      NOT NULL DEFAULT 1 CONSTRAINT sso_configs_version_positive CHECK (version >= 1),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  CONSTRAINT sso_configs_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id)
);

ALTER TABLE sso_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_configs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_configs
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

-- One started OIDC login: digest of the state parameter, single use, at most 10 minutes.
CREATE TABLE sso_login_states (
  org_id        uuid        NOT NULL,
  state_hash    bytea       NOT NULL
                CONSTRAINT sso_login_states_state_hash_sha256 CHECK (octet_length(state_hash) = 32),
  nonce         text        NOT NULL,
  code_verifier text        NOT NULL,
  redirect_uri  text        NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz NULL,
  PRIMARY KEY (org_id, state_hash),
  CONSTRAINT sso_login_states_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  CONSTRAINT sso_login_states_state_hash_unique UNIQUE (state_hash),
  CONSTRAINT sso_login_states_lifetime
    CHECK (expires_at > created_at AND expires_at <= created_at + interval '10 minutes')
);

CREATE INDEX sso_login_states_expiry ON sso_login_states (expires_at);

ALTER TABLE sso_login_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_login_states FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_login_states
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');
