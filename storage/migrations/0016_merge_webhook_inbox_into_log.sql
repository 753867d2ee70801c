-- A stored webhook delivery's inbox row is also its integration log line (issue 4 benchmark:
-- the separate log row of every accepted delivery cost ~45 us of PostgreSQL CPU per delivery, about
-- a third of the whole ingest statement).
--
-- 1. The inbox keeps the delivery's duration (receipt to the batch's write, like the log line).
-- 2. The inbox and the log draw their ids from ONE sequence, so a connection's log page (storage
--    list_integration_log: log rows UNION inbox rows, newest id first, cursor `before` an id) keeps
--    one order and one cursor across both tables.
-- 3. When the retention sweep deletes processed inbox rows, it first copies them into the log with
--    their ids (storage purge_ats_webhook_inbox), so the line stays for the log's own retention.
-- Deliveries that are not stored (duplicates, refused signatures, pings, malformed bodies) still
-- write a log row at once, as before.
ALTER TABLE ats_webhook_inbox
  ADD COLUMN duration_ms integer NOT NULL DEFAULT 0
    CONSTRAINT ats_webhook_inbox_duration_nonnegative CHECK (duration_ms >= 0);

-- 4. The payload is the raw body as received (the receiver verified its signature and parsed it;
--    the processor parses it again): text, not jsonb. Parsing every body into jsonb on the way in
--    was ~10 % of the ingest statement, and bodies jsonb refuses (a \u0000 escape) now store too.
ALTER TABLE ats_webhook_inbox ALTER COLUMN payload TYPE text USING payload::text;

-- 5. Deduplication probes by index, not ON CONFLICT (storage ats_webhook_batch_store: one probe of
--    each unique index per delivery instead of three speculative ones). Each unique key now leads
--    with its dedup column after org_id, so neither index can serve the other's probe: with the
--    old order (org_id, connection_id, <key>) a plan made while the inbox was small used the
--    content-key index's (org_id, connection_id) prefix for the event-id probe and read every row
--    of the connection per delivery.
ALTER TABLE ats_webhook_inbox DROP CONSTRAINT ats_webhook_inbox_event_unique;
ALTER TABLE ats_webhook_inbox DROP CONSTRAINT ats_webhook_inbox_content_unique;
ALTER TABLE ats_webhook_inbox
  ADD CONSTRAINT ats_webhook_inbox_event_unique UNIQUE (org_id, vendor_event_id, connection_id),
  ADD CONSTRAINT ats_webhook_inbox_content_unique UNIQUE (org_id, content_key, connection_id);

-- The log's sequence continues above every id either table holds; the inbox then uses it too.
SELECT setval('ats_integration_log_id_seq',
              greatest((SELECT max(id) FROM ats_integration_log), (SELECT max(id) FROM ats_webhook_inbox), 1));
ALTER TABLE ats_webhook_inbox ALTER COLUMN id SET DEFAULT nextval('ats_integration_log_id_seq');
DROP SEQUENCE ats_webhook_inbox_id_seq;

-- Rows written before 0016 may share an id with a log row of the same organization (both tables
-- counted from 1; jobs name inbox ids, so they keep theirs): the listing orders equal ids by table,
-- and the retention move gives such a row a fresh id instead of its own.
