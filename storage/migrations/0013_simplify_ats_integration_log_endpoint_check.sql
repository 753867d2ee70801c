-- The webhook receiver writes one ats_integration_log row per delivery (storage
-- ingest_webhook_batch), and 0011's endpoint check `endpoint ~ '^/[!-~]{0,199}$'` was ~8 % of
-- PostgreSQL's CPU under load: a bounded repetition expands into a large regex automaton that runs
-- for every row. The same rule without the bound in the pattern: 1..200 characters, a leading '/',
-- printable ASCII only (no space), and still no query string or fragment.
ALTER TABLE ats_integration_log DROP CONSTRAINT ats_integration_log_endpoint_template;
ALTER TABLE ats_integration_log ADD CONSTRAINT ats_integration_log_endpoint_template
  CHECK (char_length(endpoint) BETWEEN 1 AND 200 AND left(endpoint, 1) = '/' AND endpoint ~ '^[!-~]*$'
         AND position('?' IN endpoint) = 0 AND position('#' IN endpoint) = 0);
