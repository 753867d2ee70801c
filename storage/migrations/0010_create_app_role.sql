-- Issue 3, separate migration and serving roles (security-and-reliability.md §3.6): the server
-- must connect as a role that is NOSUPERUSER and NOBYPASSRLS and owns nothing, so the forced
-- row-level security of 0007/0009 applies to it; migrations keep running as the owner role.
--
-- hirewire_app is a NOLOGIN group role holding exactly the data privileges the server needs. A
-- deployment creates its own login role and makes it a member:
--   CREATE ROLE hirewire_server LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT
--     PASSWORD '...';
--   GRANT hirewire_app TO hirewire_server;
-- (INHERIT, the default, is required: the privileges come through membership.)
--
-- Roles are cluster-wide: several databases of one cluster (tests create one per case) share the
-- role, so creation is idempotent and race-safe. A concurrent CREATE ROLE of the same name fails
-- with duplicate_object, or with unique_violation on pg_authid when both inserts raced; both mean
-- "it exists now". When the owner running migrations may not create roles (NOCREATEROLE), a DBA
-- creates hirewire_app beforehand and this block only grants.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hirewire_app') THEN
    BEGIN
      CREATE ROLE hirewire_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO hirewire_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hirewire_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO hirewire_app;

-- Tables and sequences that later migrations create (as the same owner role) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hirewire_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO hirewire_app;

-- The audit log is append-only for the server (ASVS 16.4.2): the 0005 triggers refuse UPDATE,
-- DELETE and TRUNCATE for every role; the server does not even hold the privileges.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM hirewire_app;
-- The server reads the migration ledger (check_migrations) but never writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM hirewire_app;
