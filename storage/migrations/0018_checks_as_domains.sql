-- The column CHECK constraints of the tables every webhook batch writes (the inbox, its counters and
-- jobs) become domains. PostgreSQL 15 keeps a table's CHECK constraints as text and parses and plans
-- every one of them again in each statement that writes a row (ExecRelCheck: stringToNode +
-- expression_planner per query): ~13 % of a webhook batch's backend CPU with 16 of them, whatever
-- the batch's size. A domain's constraint is parsed and planned once per backend (the type cache)
-- and checks the same values with the same SQLSTATE (23514, check_violation). The table-level
-- checks that tie two columns together stay table CHECKs (inbox processed_when, jobs
-- running_leased and finalized_terminal).
CREATE DOMAIN hw_nonnegative_int AS integer CHECK (VALUE >= 0);
CREATE DOMAIN hw_positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN hw_nonnegative_bigint AS bigint CHECK (VALUE >= 0);
CREATE DOMAIN hw_json_array AS jsonb CHECK (jsonb_typeof(VALUE) = 'array');
CREATE DOMAIN hw_sha256 AS bytea CHECK (octet_length(VALUE) = 32);
CREATE DOMAIN hw_job_kind AS text CHECK (char_length(VALUE) BETWEEN 1 AND 100);
CREATE DOMAIN hw_job_state AS text
  CHECK (VALUE IN ('available', 'scheduled', 'running', 'retryable', 'completed', 'discarded', 'cancelled'));
CREATE DOMAIN ats_vendor_event_id AS text CHECK (char_length(VALUE) BETWEEN 1 AND 200);
CREATE DOMAIN ats_inbox_status AS text CHECK (VALUE IN ('received', 'processed'));
CREATE DOMAIN ats_counter_slot AS smallint CHECK (VALUE BETWEEN 0 AND 15);

ALTER TABLE ats_webhook_inbox
  DROP CONSTRAINT ats_webhook_inbox_content_key_sha256,
  DROP CONSTRAINT ats_webhook_inbox_event_id_length,
  DROP CONSTRAINT ats_webhook_inbox_status_known,
  DROP CONSTRAINT ats_webhook_inbox_duration_nonnegative,
  ALTER COLUMN content_key TYPE hw_sha256,
  ALTER COLUMN vendor_event_id TYPE ats_vendor_event_id,
  ALTER COLUMN status TYPE ats_inbox_status,
  ALTER COLUMN duration_ms TYPE hw_nonnegative_int;

ALTER TABLE ats_webhook_counters
  DROP CONSTRAINT ats_webhook_counters_slot_range,
  DROP CONSTRAINT ats_webhook_counters_received_check,
  DROP CONSTRAINT ats_webhook_counters_duplicate_check,
  DROP CONSTRAINT ats_webhook_counters_rejected_check,
  ALTER COLUMN slot TYPE ats_counter_slot,
  ALTER COLUMN received TYPE hw_nonnegative_bigint,
  ALTER COLUMN duplicate TYPE hw_nonnegative_bigint,
  ALTER COLUMN rejected TYPE hw_nonnegative_bigint;

ALTER TABLE jobs
  DROP CONSTRAINT jobs_kind_check,
  DROP CONSTRAINT jobs_state_known,
  DROP CONSTRAINT jobs_attempt_check,
  DROP CONSTRAINT jobs_max_attempts_check,
  DROP CONSTRAINT jobs_errors_check,
  ALTER COLUMN kind TYPE hw_job_kind,
  ALTER COLUMN state TYPE hw_job_state,
  ALTER COLUMN attempt TYPE hw_nonnegative_int,
  ALTER COLUMN max_attempts TYPE hw_positive_int,
  ALTER COLUMN errors TYPE hw_json_array;
