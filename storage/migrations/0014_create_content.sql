-- Issue 5: interview content. storage/content_repo.cpp (library items, their versions and review,
-- comments, custom skills, LLM settings) and storage/interview_template_repo.cpp (one interview
-- template per job posting, with versions invitations lock onto). All TENANT tables: org_id first
-- in every key, row-level security ENABLEd + FORCEd with the 0007 policy; hirewire_app gets its
-- privileges from the 0010 default privileges.
--
-- Bodies are jsonb in the shape of actors/domain/content.hpp (validated by the service). User ids
-- are text without a foreign key: '' is the shipped starter library / an API key, and content
-- outlives a member's removal.

-- One library item, or a job-local variant (job_id set). The columns after `archived` are a
-- DENORMALIZED copy of the latest version (rewritten in the transaction that writes a version), so
-- a search reads this table and its term index (content_item_terms) only. `search`: title (weight
-- A), prompt (B) and rubric (C), english configuration; toast_tuple_target moves it out of line,
-- so the main heap stays narrow for scans by recency. variant_of_* records where a
-- variant came from (provenance, no foreign key: the source may be a variant removed with its job).
CREATE TABLE content_items (
  org_id             uuid        NOT NULL,
  item_id            uuid        NOT NULL,
  job_id             uuid        NULL,
  variant_of_item    uuid        NULL,
  variant_of_version integer     NULL,
  starter_key        text        NULL CHECK (char_length(starter_key) BETWEEN 1 AND 200),
  latest_version     integer     NOT NULL DEFAULT 1 CHECK (latest_version >= 1),
  approved_version   integer     NULL CHECK (approved_version BETWEEN 1 AND latest_version),
  archived           boolean     NOT NULL DEFAULT false,
  kind               text        NOT NULL
                     CHECK (kind IN ('behavioral', 'technical', 'system_design', 'coding')),
  title              text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  difficulty         text        NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
  expected_minutes   integer     NOT NULL CHECK (expected_minutes BETWEEN 1 AND 240),
  skills             text[]      NOT NULL DEFAULT '{}',
  seniorities        text[]      NOT NULL DEFAULT '{}',
  categories         text[]      NOT NULL DEFAULT '{}',
  state              text        NOT NULL
                     CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved', 'archived')),
  author_id          text        NOT NULL DEFAULT '' CHECK (char_length(author_id) <= 100),
  author_name        text        NOT NULL DEFAULT '' CHECK (char_length(author_name) <= 200),
  origin             text        NOT NULL CHECK (char_length(origin) BETWEEN 1 AND 300),
  search             tsvector    NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  version            bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (org_id, item_id),
  CONSTRAINT content_items_job_fk FOREIGN KEY (org_id, job_id)
    REFERENCES job_postings (org_id, job_id) ON DELETE CASCADE,
  CONSTRAINT content_items_variant_pair
    CHECK ((variant_of_item IS NULL) = (variant_of_version IS NULL)),
  CONSTRAINT content_items_starter_key_unique UNIQUE (org_id, starter_key),
  CONSTRAINT content_items_archived_state CHECK (archived = (state = 'archived'))
) WITH (toast_tuple_target = 256);
CREATE INDEX content_items_list ON content_items (org_id, updated_at DESC, item_id DESC);
CREATE INDEX content_items_by_job ON content_items (org_id, job_id, updated_at DESC, item_id DESC)
  WHERE job_id IS NOT NULL;

-- The search index of content_items as rows: one per distinct term of an item's latest version,
-- 'w:<lexeme>' of `search`, 's:<skill>', 'n:<seniority>', 'c:<category>', with the item's
-- updated_at (rewritten with it). Why not GIN: under row-level security PostgreSQL uses only
-- LEAKPROOF operators in index conditions, and @@ / @> are not (only a superuser could mark them),
-- so as the server's role a GIN index is never used and every search would scan the
-- organization's items. Text equality is leakproof: content_item_terms_recent walks one term's
-- items newest first (the search's keyset order), the primary key answers "has item X term T",
-- and `search @@ query` rechecks the candidates.
CREATE TABLE content_item_terms (
  org_id     uuid        NOT NULL,
  item_id    uuid        NOT NULL,
  term       text        NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, item_id, term),
  CONSTRAINT content_item_terms_item_fk FOREIGN KEY (org_id, item_id)
    REFERENCES content_items (org_id, item_id) ON DELETE CASCADE
);
CREATE INDEX content_item_terms_recent
  ON content_item_terms (org_id, term, updated_at DESC, item_id DESC);

-- Every version of an item. approved_at is set when the version is approved and kept when its
-- item is archived later: such a version stays usable by templates.
CREATE TABLE content_item_versions (
  org_id      uuid        NOT NULL,
  item_id     uuid        NOT NULL,
  number      integer     NOT NULL CHECK (number >= 1),
  state       text        NOT NULL
              CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved', 'archived')),
  body        jsonb       NOT NULL CHECK (jsonb_typeof(body) = 'object'),
  author_id   text        NOT NULL DEFAULT '' CHECK (char_length(author_id) <= 100),
  author_name text        NOT NULL DEFAULT '' CHECK (char_length(author_name) <= 200),
  origin      text        NOT NULL CHECK (char_length(origin) BETWEEN 1 AND 300),
  reviewed_by text        NULL CHECK (char_length(reviewed_by) <= 100),
  reviewed_at timestamptz NULL,
  approved_at timestamptz NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, item_id, number),
  CONSTRAINT content_item_versions_item_fk FOREIGN KEY (org_id, item_id)
    REFERENCES content_items (org_id, item_id) ON DELETE CASCADE,
  CONSTRAINT content_item_versions_approved_has_time
    CHECK (state <> 'approved' OR approved_at IS NOT NULL)
);

-- Review comments (plain text), on one version.
CREATE TABLE content_comments (
  org_id       uuid        NOT NULL,
  id           bigserial,
  item_id      uuid        NOT NULL,
  item_version integer     NOT NULL,
  author_id    text        NOT NULL DEFAULT '' CHECK (char_length(author_id) <= 100),
  author_name  text        NOT NULL DEFAULT '' CHECK (char_length(author_name) <= 200),
  text         text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 5000),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  CONSTRAINT content_comments_version_fk FOREIGN KEY (org_id, item_id, item_version)
    REFERENCES content_item_versions (org_id, item_id, number) ON DELETE CASCADE
);
CREATE INDEX content_comments_by_item ON content_comments (org_id, item_id, id);

-- An organization's own skills (the shipped taxonomy is in the binary).
CREATE TABLE content_skills (
  org_id     uuid        NOT NULL,
  slug       text        NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9+#.-]*$' AND char_length(slug) <= 50),
  label      text        NOT NULL CHECK (char_length(label) BETWEEN 1 AND 60),
  synonyms   text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(synonyms) <= 20),
  category   text        NOT NULL
             CHECK (category IN ('engineering', 'data', 'product', 'design', 'sales', 'support',
                                 'marketing', 'operations')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, slug),
  CONSTRAINT content_skills_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id)
);

-- One interview template per job posting; approved_version(_id) is what invitations lock onto.
CREATE TABLE interview_templates (
  org_id              uuid        NOT NULL,
  template_id         uuid        NOT NULL,
  job_id              uuid        NOT NULL,
  latest_version      integer     NOT NULL DEFAULT 1 CHECK (latest_version >= 1),
  approved_version    integer     NULL CHECK (approved_version BETWEEN 1 AND latest_version),
  approved_version_id uuid        NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  version             bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (org_id, template_id),
  CONSTRAINT interview_templates_job_unique UNIQUE (org_id, job_id),
  CONSTRAINT interview_templates_job_fk FOREIGN KEY (org_id, job_id)
    REFERENCES job_postings (org_id, job_id) ON DELETE CASCADE,
  CONSTRAINT interview_templates_approved_pair
    CHECK ((approved_version IS NULL) = (approved_version_id IS NULL))
);

-- version_id is generated by the server (random UUID) and also globally unique: issue 6's
-- invitations keep it as their handle on the exact questions a candidate gets.
CREATE TABLE interview_template_versions (
  org_id        uuid        NOT NULL,
  template_id   uuid        NOT NULL,
  number        integer     NOT NULL CHECK (number >= 1),
  version_id    uuid        NOT NULL,
  state         text        NOT NULL CHECK (state IN ('draft', 'pending_approval', 'approved', 'superseded')),
  body          jsonb       NOT NULL CHECK (jsonb_typeof(body) = 'object'),
  total_minutes integer     NOT NULL CHECK (total_minutes BETWEEN 0 AND 100000),
  saved_by      text        NOT NULL DEFAULT '' CHECK (char_length(saved_by) <= 100),
  submitted_by  text        NULL CHECK (char_length(submitted_by) <= 100),
  approved_by   text        NULL CHECK (char_length(approved_by) <= 100),
  approved_at   timestamptz NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (org_id, template_id, number),
  CONSTRAINT interview_template_versions_id_unique UNIQUE (version_id),
  CONSTRAINT interview_template_versions_org_id_unique UNIQUE (org_id, version_id),
  CONSTRAINT interview_template_versions_template_fk FOREIGN KEY (org_id, template_id)
    REFERENCES interview_templates (org_id, template_id) ON DELETE CASCADE,
  CONSTRAINT interview_template_versions_approved_has_time
    CHECK (state NOT IN ('approved', 'superseded') OR approved_at IS NOT NULL)
);
-- At most one approved version per template.
CREATE UNIQUE INDEX interview_template_versions_one_approved
  ON interview_template_versions (org_id, template_id) WHERE state = 'approved';

-- The job's approved template version (set with interview_templates.approved_version in one
-- transaction; "ready to invite" requires it). No foreign key: the template rows cascade from the
-- job posting itself.
ALTER TABLE job_postings
  ADD COLUMN approved_template_version_id uuid NULL,
  ADD COLUMN approved_template_version integer NULL,
  ADD CONSTRAINT job_postings_approved_template_pair
    CHECK ((approved_template_version_id IS NULL) = (approved_template_version IS NULL));

-- The organization's optional LLM provider (off by default). api_key_enc: sealed bytes
-- (credential_box); the database never sees the key in clear.
CREATE TABLE org_llm_settings (
  org_id          uuid        NOT NULL,
  enabled         boolean     NOT NULL DEFAULT false,
  base_url        text        NOT NULL DEFAULT '' CHECK (char_length(base_url) <= 500),
  model           text        NOT NULL DEFAULT '' CHECK (char_length(model) <= 200),
  api_key_enc     bytea       NULL CHECK (octet_length(api_key_enc) <= 4096),
  timeout_seconds integer     NOT NULL DEFAULT 30 CHECK (timeout_seconds BETWEEN 1 AND 120),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  version         bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (org_id),
  CONSTRAINT org_llm_settings_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['content_items', 'content_item_terms', 'content_item_versions',
                           'content_comments', 'content_skills', 'interview_templates',
                           'interview_template_versions', 'org_llm_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
             OR current_setting('hw.scope', true) = 'system')
      WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
                  OR current_setting('hw.scope', true) = 'system')$p$, t);
  END LOOP;
END $$;
