-- Issue 3, the audit log (security-and-reliability.md §3.7 / ASVS 16.2.1, 16.4.2): who (actor kind
-- and id), from where (ip, user agent, request id), what (action, target, detail), when (`at`) and
-- how it ended (outcome) for every privileged change and every refused attempt on an organization.
-- Existing rows were all successful changes made outside any HTTP request context we kept, so
-- outcome defaults to 'success' and the request context columns stay NULL for them.
ALTER TABLE audit_events
  ADD COLUMN outcome    text NOT NULL DEFAULT 'success'
                        CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('success', 'failure', 'denied')),
  ADD COLUMN ip         inet,
  ADD COLUMN user_agent text CONSTRAINT audit_events_user_agent_check CHECK (octet_length(user_agent) <= 512),
  ADD COLUMN request_id text CONSTRAINT audit_events_request_id_check CHECK (length(request_id) BETWEEN 1 AND 64),
  ADD CONSTRAINT audit_events_actor_kind_known
                        CHECK (actor_kind IN ('user', 'api_key', 'bootstrap_admin', 'system'));

-- Listing is newest first by id within one organization (keyset pagination on (org_id, id DESC)).
-- The primary key (org_id, id) is scanned backwards for the unfiltered list and for the action
-- prefix and time-window filters (audit_events_org_at serves since/until); these two keep the
-- actor and outcome filters from walking an organization's whole log.
CREATE INDEX audit_events_org_actor ON audit_events (org_id, actor_kind, actor_id, id DESC);
CREATE INDEX audit_events_org_outcome ON audit_events (org_id, outcome, id DESC);

-- Append-only: nothing in the product may edit or remove an audit row (ASVS 16.4.2). Statement
-- level, so even an UPDATE/DELETE matching no row is refused, and TRUNCATE is covered too.
-- (A superuser can still drop the trigger; shipping the log elsewhere is a separate item.)
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
