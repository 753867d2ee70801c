-- Organizations: the tenants. org_id is the first (and only) column of the primary key, and every
-- other tenant table references it as the first column of a composite key.
-- The CHECK constraints mirror actors/domain/organization.cpp so that no code path can store
-- what the API would refuse (time zone existence is checked against pg_timezone_names by the
-- repository, since a CHECK may not query a catalog view).
CREATE TABLE organizations (
  org_id        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text        NOT NULL UNIQUE
                CONSTRAINT organizations_slug_format
                CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' AND position('--' IN slug) = 0),
  name          text        NOT NULL
                CONSTRAINT organizations_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
  time_zone     text        NOT NULL DEFAULT 'UTC'
                CONSTRAINT organizations_time_zone_format
                CHECK (time_zone ~ '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$' AND char_length(time_zone) <= 64),
  logo_url      text        NULL
                CONSTRAINT organizations_logo_url_https
                CHECK (logo_url IS NULL OR (logo_url LIKE 'https://_%' AND char_length(logo_url) <= 2048)),
  primary_color text        NOT NULL DEFAULT '#1f4b99'
                CONSTRAINT organizations_primary_color_hex CHECK (primary_color ~ '^#[0-9A-Fa-f]{6}$'),
  accent_color  text        NOT NULL DEFAULT '#f2a541'
                CONSTRAINT organizations_accent_color_hex CHECK (accent_color ~ '^#[0-9A-Fa-f]{6}$'),
  status        text        NOT NULL DEFAULT 'active'
                CONSTRAINT organizations_status_known CHECK (status IN ('active', 'suspended', 'closed')),
  version       bigint      NOT NULL DEFAULT 1
                CONSTRAINT organizations_version_positive CHECK (version >= 1),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organizations_updated_after_created CHECK (updated_at >= created_at)
);
