-- Webhook ingest (storage ingest_webhook_batch) writes only inbox rows. Measured with
-- bench/webhook_store_bench (one dedicated writer, batches of 16): the processing job each batch
-- inserted and the received-count upsert cost PostgreSQL ~17 % of the batch; without them a batch is
-- the inbox INSERT alone.
--
-- 1. The inbox is the processing queue. A connection has at most ONE live processing job (kind
--    ats_process_webhook, args {"connection_id"}, unique key "ats_inbox:<connection id>") that
--    processes the connection's rows still `received`, oldest first (this index), and after
--    completing looks again and enqueues the next when rows are left. The batch writes no job:
--    the server ensures one (storage ensure_webhook_jobs: only for a connection with pending rows,
--    nothing when one is live) after the batch commits, coalesced per connection (the ATS
--    supervisor's hook delay), and for every live connection after each schedule read, so rows
--    committed just before a crash are taken up within the schedule interval.
CREATE INDEX ats_webhook_inbox_pending ON ats_webhook_inbox (org_id, connection_id, id)
  WHERE status = 'received';

-- 2. `received` is counted when a delivery is processed (inbox_mark_processed adds 1 to a counter
--    slot as the row turns processed), and readers add the rows still pending. The slots written
--    so far counted every stored delivery at once: fold them into the connection row, minus the
--    rows still pending (they are counted again when processed). The runner's transaction is in
--    system scope (storage/migrate.cpp), so this sees every organization's rows.
--    The lock makes a server of the previous version that counts meanwhile wait for this commit
--    (its count then lands in a new slot row). Deploy by stopping servers of the previous version
--    first: they count a delivery received when storing it and give {"connection_id"} jobs up as
--    malformed, so deliveries they store after this migration would be counted twice.
LOCK TABLE ats_webhook_counters IN EXCLUSIVE MODE;

UPDATE ats_connections a
   SET webhooks_received = greatest(0, a.webhooks_received + s.received - s.pending),
       webhooks_duplicate = a.webhooks_duplicate + s.duplicate,
       webhooks_rejected = a.webhooks_rejected + s.rejected
  FROM (SELECT c.org_id, c.connection_id,
               COALESCE(w.received, 0) AS received, COALESCE(w.duplicate, 0) AS duplicate,
               COALESCE(w.rejected, 0) AS rejected,
               (SELECT count(*) FROM ats_webhook_inbox i
                 WHERE i.org_id = c.org_id AND i.connection_id = c.connection_id
                   AND i.status = 'received') AS pending
          FROM ats_connections c
          LEFT JOIN (SELECT org_id, connection_id, sum(received) AS received,
                            sum(duplicate) AS duplicate, sum(rejected) AS rejected
                       FROM ats_webhook_counters GROUP BY org_id, connection_id) w
            ON w.org_id = c.org_id AND w.connection_id = c.connection_id) s
 WHERE a.org_id = s.org_id AND a.connection_id = s.connection_id
   AND (s.received <> 0 OR s.duplicate <> 0 OR s.rejected <> 0 OR s.pending <> 0);

DELETE FROM ats_webhook_counters;
