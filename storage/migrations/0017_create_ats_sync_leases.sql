-- Issue 4 leftovers: with several server processes on one database, every process ran an ATS
-- supervisor that pulled every due connection, so two processes pulled the same connection at the
-- same time (twice the vendor calls against the vendor's rate limit, racing outcome writes).
-- storage/ats_schedule_repo.cpp.
--
-- One row per connection that was ever pulled or tested by a sync worker:
--
-- * The sync LEASE. A worker claims a connection's pull with one statement (only when the lease is
--   free, expired, or held by its own process), renews it while the pull runs and releases it at
--   the end. `owner` names the process (a random per-process id, like the job queue's
--   attempted_by); `epoch` grows by one with every claim, so (owner, epoch) is the fencing token:
--   the sync outcome is only written while the row still holds it. A crashed process leaves a
--   lease that expires at `lease_until`. Released: owner and lease_until NULL, epoch kept (it must
--   never go back, or a stale token could match again).
-- * `checked_credentials_sha256`: SHA-256 of the sealed credential bytes the last recorded test or
--   pull step ran with. A passing test with other credentials is recorded as `reconnected`
--   (decided from this row, not from a worker's memory, so it survives restarts and works across
--   processes).
--
-- A separate table rather than columns on ats_connections: renewals every minute of a long pull
-- do not rewrite the connection row (which the webhook ingest KEY SHARE-locks and every reader
-- reads), and nothing here is part of the connection's CAS `version`.
-- TENANT table: org_id first in every key, row-level security ENABLEd + FORCEd with the 0007
-- policy; hirewire_app grants from the 0010 default privileges.
CREATE TABLE ats_sync_leases (
  org_id                     uuid        NOT NULL,
  connection_id              uuid        NOT NULL,
  owner                      text        NULL
                             CONSTRAINT ats_sync_leases_owner_form CHECK (char_length(owner) BETWEEN 1 AND 200),
  epoch                      bigint      NOT NULL DEFAULT 0
                             CONSTRAINT ats_sync_leases_epoch_nonnegative CHECK (epoch >= 0),
  lease_until                timestamptz NULL,
  claimed_at                 timestamptz NULL,
  checked_credentials_sha256 bytea       NULL
                             CONSTRAINT ats_sync_leases_checked_sha256
                             CHECK (octet_length(checked_credentials_sha256) = 32),
  PRIMARY KEY (org_id, connection_id),
  CONSTRAINT ats_sync_leases_connection_fk FOREIGN KEY (org_id, connection_id)
    REFERENCES ats_connections (org_id, connection_id) ON DELETE CASCADE,
  CONSTRAINT ats_sync_leases_held_until CHECK ((owner IS NULL) = (lease_until IS NULL))
);

ALTER TABLE ats_sync_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE ats_sync_leases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ats_sync_leases
  USING (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
         OR current_setting('hw.scope', true) = 'system')
  WITH CHECK (org_id = nullif(current_setting('hw.org_id', true), '')::uuid
              OR current_setting('hw.scope', true) = 'system');
