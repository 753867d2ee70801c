-- Issue 3, defence in depth (security-and-reliability.md §3.6): PostgreSQL row-level security on
-- every tenant table, in addition to the `org_id = $1` every repository statement binds.
--
-- The tenant is a transaction-local setting, never a session one (libpqxx 6 reconnects silently
-- and drops session settings, §2.8): storage/pg.cpp set_tenant() runs
--   SELECT set_config('hw.org_id', <org uuid>, true)
-- at the start of every transaction that touches tenant rows. A transaction without it sees no
-- tenant row and may write none (fail closed).
--
-- The one escape is explicit and narrow: set_system_scope() sets hw.scope = 'system' (also
-- transaction-local) inside exactly the statements that legitimately span tenants: the job
-- queue's claim / sweep / promote / depth, organization creation (no tenant exists yet) and the
-- demo lookup by slug, listing one user's organizations, and the migration runner. RLS stays ON
-- in those transactions too; they are simply allowed to see every organization's rows.
--
-- nullif(..., ''): once a transaction-local custom setting has been used on a connection,
-- current_setting(name, true) returns '' (not NULL) in later transactions; ''::uuid would raise.
--
-- FORCE makes the policies apply to the table owner as well. Superusers and BYPASSRLS roles skip
-- them even so: the server must connect as a non-owner, non-superuser role (storage/README.md).

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

ALTER TABLE email_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON email_messages
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

ALTER TABLE email_suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_suppressions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON email_suppressions
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');
