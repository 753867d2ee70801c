-- Audit log of privileged changes, one row per change, written in the same transaction as the
-- change itself. No PII: actor_id is a stable non-secret identifier, target an entity id, and
-- detail holds field NAMES (never values), e.g. {"changed": ["name", "slug"]}.
CREATE TABLE audit_events (
  org_id      uuid        NOT NULL,
  id          bigint      GENERATED ALWAYS AS IDENTITY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text        NOT NULL CHECK (actor_kind <> ''),
  actor_id    text        NOT NULL DEFAULT '',
  action      text        NOT NULL CHECK (action <> ''),
  target      text        NOT NULL,
  detail      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
  PRIMARY KEY (org_id, id),
  CONSTRAINT audit_events_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id)
);

CREATE INDEX audit_events_org_at ON audit_events (org_id, at DESC, id DESC);
