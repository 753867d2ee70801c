-- Issue 4: what the ATS sync imports. storage/ats_import_repo.cpp (the sync's write side) and
-- storage/job_posting_repo.cpp (the API's read side and local edits). All TENANT tables: org_id
-- first in every key, row-level security ENABLEd + FORCEd with the 0007 policy; hirewire_app gets
-- its privileges from the 0010 default privileges.
--
-- Vendor copies mirror the ATS exactly (the ats_* columns); a recruiter's local edits live in
-- job_postings.overrides and are laid over them when read, so a re-import never overwrites an
-- edit and a conflict (the ATS changed a field that was edited here) is visible.
-- Vendor ids are text (Greenhouse integers in decimal). Vendor times are timestamptz (from epoch
-- ms). Candidate PII lives only in ats_candidates (first/last name, emails, phones) and is purged
-- when the ATS anonymizes or deletes the person.

-- Webhook counters on the dashboard (received = new inbox row, duplicate, rejected).
ALTER TABLE ats_connections
  ADD COLUMN webhooks_received  bigint NOT NULL DEFAULT 0 CHECK (webhooks_received >= 0),
  ADD COLUMN webhooks_duplicate bigint NOT NULL DEFAULT 0 CHECK (webhooks_duplicate >= 0),
  ADD COLUMN webhooks_rejected  bigint NOT NULL DEFAULT 0 CHECK (webhooks_rejected >= 0);

-- One imported job = one job posting (actors/domain/job_posting_fsm.hpp: posting_state).
CREATE TABLE job_postings (
  org_id               uuid        NOT NULL,
  job_id               uuid        NOT NULL,
  connection_id        uuid        NOT NULL,
  external_id          text        NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  -- the ATS's values (domain::ats_job), rewritten by every sync that sees a change
  ats_title            text        NOT NULL CHECK (octet_length(ats_title) <= 1000),
  ats_status           text        NOT NULL CHECK (ats_status IN ('draft', 'open', 'closed')),
  ats_department       text        NOT NULL DEFAULT '' CHECK (octet_length(ats_department) <= 1000),
  ats_location         text        NOT NULL DEFAULT '' CHECK (octet_length(ats_location) <= 2000),
  ats_description_html text        NOT NULL DEFAULT '' CHECK (octet_length(ats_description_html) <= 1048576),
  ats_requirements     text        NOT NULL DEFAULT '' CHECK (octet_length(ats_requirements) <= 1048576),
  ats_opened_at        timestamptz NULL,
  ats_closed_at        timestamptz NULL,
  ats_updated_at       timestamptz NULL,
  ats_deleted_at       timestamptz NULL,  -- deleted upstream (the posting is archived)
  -- local edits: {"<field>": {"value": <ours>, "ats_value": <the ATS value when edited>}} for
  -- field in title, department, location, description_html, requirements
  overrides            jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(overrides) = 'object'),
  posting_state        text        NOT NULL DEFAULT 'imported'
                       CHECK (posting_state IN ('imported', 'draft', 'ready', 'open', 'closed', 'archived')),
  shortlist_stage_id   text        NULL CHECK (char_length(shortlist_stage_id) BETWEEN 1 AND 200),
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  version              bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (org_id, job_id),
  CONSTRAINT job_postings_external_unique UNIQUE (org_id, connection_id, external_id),
  CONSTRAINT job_postings_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE
);
CREATE INDEX job_postings_list ON job_postings (org_id, updated_at DESC, job_id DESC);

-- Job stages: Greenhouse job interview stages (per job), Lever pipeline stages (account-wide:
-- job_external_id = '').
CREATE TABLE ats_stages (
  org_id          uuid        NOT NULL,
  connection_id   uuid        NOT NULL,
  job_external_id text        NOT NULL CHECK (char_length(job_external_id) <= 200),
  external_id     text        NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  name            text        NOT NULL CHECK (octet_length(name) <= 1000),
  sort_order      integer     NULL,
  active          boolean     NOT NULL DEFAULT true,
  ats_updated_at  timestamptz NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (org_id, connection_id, job_external_id, external_id),
  CONSTRAINT ats_stages_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE
);

-- Candidates (PII). emails / phones: [{"value": ..., "type": ...}].
CREATE TABLE ats_candidates (
  org_id          uuid        NOT NULL,
  candidate_id    uuid        NOT NULL,
  connection_id   uuid        NOT NULL,
  external_id     text        NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  first_name      text        NOT NULL DEFAULT '' CHECK (octet_length(first_name) <= 1000),
  last_name       text        NOT NULL DEFAULT '' CHECK (octet_length(last_name) <= 1000),
  emails          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(emails) = 'array'),
  phones          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(phones) = 'array'),
  can_email       boolean     NOT NULL DEFAULT true,
  anonymized      boolean     NOT NULL DEFAULT false,
  merged_into     text        NULL,  -- the winner's external id after a merge (row kept, PII purged)
  ats_updated_at  timestamptz NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (org_id, candidate_id),
  CONSTRAINT ats_candidates_external_unique UNIQUE (org_id, connection_id, external_id),
  CONSTRAINT ats_candidates_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE,
  CONSTRAINT ats_candidates_anonymized_holds_no_pii
    CHECK (NOT anonymized OR (first_name = '' AND last_name = '' AND emails = '[]' AND phones = '[]'))
);

-- Applications: the link candidate x job with the current stage. External ids, not foreign keys:
-- a page of applications may arrive before its candidate or job (they are joined when read).
CREATE TABLE ats_applications (
  org_id                uuid        NOT NULL,
  application_id        uuid        NOT NULL,
  connection_id         uuid        NOT NULL,
  external_id           text        NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  candidate_external_id text        NOT NULL CHECK (char_length(candidate_external_id) <= 200),
  job_external_id       text        NOT NULL DEFAULT '' CHECK (char_length(job_external_id) <= 200),
  stage_id              text        NOT NULL DEFAULT '' CHECK (char_length(stage_id) <= 200),
  stage_name            text        NOT NULL DEFAULT '' CHECK (octet_length(stage_name) <= 1000),
  status                text        NOT NULL CHECK (status IN ('active', 'rejected', 'hired', 'converted')),
  ats_updated_at        timestamptz NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (org_id, application_id),
  CONSTRAINT ats_applications_external_unique UNIQUE (org_id, connection_id, external_id),
  CONSTRAINT ats_applications_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE
);
CREATE INDEX ats_applications_by_job ON ats_applications
  (org_id, connection_id, job_external_id, updated_at DESC, application_id DESC);
CREATE INDEX ats_applications_by_candidate ON ats_applications (org_id, connection_id, candidate_external_id);

-- Pull watermarks: the newest vendor updated_at seen per resource ("jobs", "applications", ...).
CREATE TABLE ats_sync_watermarks (
  org_id        uuid        NOT NULL,
  connection_id uuid        NOT NULL,
  resource      text        NOT NULL CHECK (resource ~ '^[a-z_]{1,40}$'),
  watermark     timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (org_id, connection_id, resource),
  CONSTRAINT ats_sync_watermarks_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE
);

-- "Application reached stage" domain events: an application entered its job's shortlist stage.
-- Written in the transaction that stored the stage change; the invitation capability (issue 6)
-- will consume them (status pending -> consumed).
CREATE TABLE ats_stage_events (
  org_id         uuid        NOT NULL,
  id             bigserial,
  connection_id  uuid        NOT NULL,
  job_id         uuid        NOT NULL,
  application_id uuid        NOT NULL,
  stage_id       text        NOT NULL,
  stage_name     text        NOT NULL DEFAULT '',
  status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'consumed')),
  at             timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  CONSTRAINT ats_stage_events_job_fk FOREIGN KEY (org_id, job_id)
    REFERENCES job_postings (org_id, job_id) ON DELETE CASCADE,
  CONSTRAINT ats_stage_events_application_fk FOREIGN KEY (org_id, application_id)
    REFERENCES ats_applications (org_id, application_id) ON DELETE CASCADE
);
CREATE INDEX ats_stage_events_by_job ON ats_stage_events (org_id, job_id, id DESC);
CREATE INDEX ats_stage_events_by_application ON ats_stage_events (org_id, application_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['job_postings', 'ats_stages', 'ats_candidates', 'ats_applications',
                           'ats_sync_watermarks', 'ats_stage_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
             OR current_setting('hw.scope', true) = 'system')
      WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
                  OR current_setting('hw.scope', true) = 'system')$p$, t);
  END LOOP;
END $$;
