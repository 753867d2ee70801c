-- The job queue / transactional outbox (security-and-reliability.md section 2.4), tenant-scoped:
-- (org_id, id) is the key and every lookup binds org_id. Rows are claimed with
-- FOR UPDATE SKIP LOCKED, leased (lease_until) and fenced by (state, attempt, attempted_by).
-- All times written by the queue come from the caller's injected clock, never from now().
CREATE TABLE jobs (
  org_id        uuid        NOT NULL,
  id            bigint      GENERATED ALWAYS AS IDENTITY,
  kind          text        NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 100),
  state         text        NOT NULL DEFAULT 'available'
                CONSTRAINT jobs_state_known
                CHECK (state IN ('available', 'scheduled', 'running', 'retryable', 'completed',
                                 'discarded', 'cancelled')),
  attempt       integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts  integer     NOT NULL DEFAULT 12 CHECK (max_attempts > 0),
  scheduled_at  timestamptz NOT NULL,
  attempted_at  timestamptz,
  lease_until   timestamptz,
  attempted_by  text,
  unique_key    text,
  args          jsonb       NOT NULL DEFAULT '{}',
  errors        jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array'),
  finalized_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CONSTRAINT jobs_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  -- a running job always has a lease and an owner (the fencing token)
  CONSTRAINT jobs_running_leased
    CHECK (state <> 'running' OR (lease_until IS NOT NULL AND attempted_by IS NOT NULL AND attempt >= 1)),
  -- finalized_at is set exactly for the terminal states
  CONSTRAINT jobs_finalized_terminal
    CHECK ((state IN ('completed', 'discarded', 'cancelled')) = (finalized_at IS NOT NULL))
);

-- What a claim scans: runnable rows in (scheduled_at, id) order.
CREATE INDEX job_runnable ON jobs (scheduled_at, id)
  WHERE state IN ('available', 'retryable', 'scheduled');

-- At most one live job per (org, unique_key); a finished job frees its key.
CREATE UNIQUE INDEX job_unique_live ON jobs (org_id, unique_key)
  WHERE unique_key IS NOT NULL AND state NOT IN ('completed', 'discarded', 'cancelled');

-- What the sweeper scans: running rows by lease expiry.
CREATE INDEX job_lease ON jobs (lease_until) WHERE state = 'running';

-- A queue table churns: vacuum it often and without throttling, so dead index entries do not
-- pile up under the runnable index (section 2.3 measured the slowdown).
ALTER TABLE jobs SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 1000
);
