-- Issue 3, accounts: people (users) and their roles in organizations (memberships).
--
-- users is GLOBAL, not a tenant table: one person may belong to several organizations, so it has
-- no org_id and its primary key is user_id alone (migrate_pgtest lists it as the one global table).
-- Every read of another person's account goes through a membership of the caller's organization.
-- email keeps the address as typed (for display and mail); email_normalized (trimmed, ASCII
-- lower-cased by storage/user_repo.cpp normalize_email) is the unique login key.
-- password_hash is the argon2id PHC string (actors/auth/password_hash.hpp), NULL for accounts
-- that will only sign in through SSO.
CREATE TABLE users (
  user_id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text        NOT NULL
                      CONSTRAINT users_email_form
                      CHECK (char_length(email) BETWEEN 3 AND 254 AND email = btrim(email)),
  email_normalized    text        NOT NULL
                      CONSTRAINT users_email_normalized_unique UNIQUE
                      CONSTRAINT users_email_normalized_form
                      CHECK (char_length(email_normalized) BETWEEN 3 AND 254
                             AND email_normalized = btrim(email_normalized)
                             AND email_normalized !~ '[A-Z]'
                             AND position('@' IN email_normalized) > 1),
  display_name        text        NOT NULL DEFAULT ''
                      CONSTRAINT users_display_name_form
                      CHECK (char_length(display_name) <= 200 AND display_name = btrim(display_name)),
  password_hash       text        NULL
                      CONSTRAINT users_password_hash_argon2id
                      CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
  password_changed_at timestamptz NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  version             bigint      NOT NULL DEFAULT 1
                      CONSTRAINT users_version_positive CHECK (version >= 1),
  CONSTRAINT users_password_changed_with_hash
    CHECK ((password_hash IS NULL) = (password_changed_at IS NULL)),
  CONSTRAINT users_updated_after_created CHECK (updated_at >= created_at)
);

-- A user's one role in one organization. A tenant table: org_id first in the primary key and in
-- the foreign key to organizations. The roles mirror actors/domain/permissions.hpp.
CREATE TABLE memberships (
  org_id     uuid        NOT NULL,
  user_id    uuid        NOT NULL,
  role       text        NOT NULL
             CONSTRAINT memberships_role_known
             CHECK (role IN ('owner', 'admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id),
  CONSTRAINT memberships_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  CONSTRAINT memberships_user_fk FOREIGN KEY (user_id) REFERENCES users (user_id),
  CONSTRAINT memberships_updated_after_created CHECK (updated_at >= created_at)
);

-- "My organizations" (list_user_orgs) and the users foreign key's referencing side.
CREATE INDEX memberships_user ON memberships (user_id);
