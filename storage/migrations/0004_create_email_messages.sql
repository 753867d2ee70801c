-- Outgoing e-mail (issue 3). A row is written in the same transaction as the change that causes
-- it, together with its "send_email" job (storage/email_repo.cpp), so an e-mail exists exactly
-- when its cause committed. Workers (actors/notify/) send it and record the outcome here.
-- message_id is deterministic per row (<hw-{org}-{id}@{domain}>): a retry re-sends the same
-- Message-ID, so receivers and the test sink can recognise duplicates.
CREATE TABLE email_messages (
  org_id      uuid        NOT NULL,
  id          bigint      GENERATED ALWAYS AS IDENTITY,
  kind        text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,99}$'),
  to_address  text        NOT NULL
              CONSTRAINT email_messages_to_address_sane
              CHECK (char_length(to_address) BETWEEN 3 AND 320 AND to_address !~ '[\r\n]'),
  subject     text        NOT NULL
              CONSTRAINT email_messages_subject_sane
              CHECK (char_length(subject) <= 998 AND subject !~ '[\r\n]'),
  text_body   text        NOT NULL,
  html_body   text,
  message_id  text        NOT NULL,
  status      text        NOT NULL DEFAULT 'queued'
              CONSTRAINT email_messages_status_known
              CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
  transport   text        CHECK (transport IS NULL OR transport IN ('smtp', 'dev_mailbox')),
  attempts    integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error  text,
  created_at  timestamptz NOT NULL,
  sent_at     timestamptz,
  PRIMARY KEY (org_id, id),
  CONSTRAINT email_messages_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id),
  CONSTRAINT email_messages_sent_has_time CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CONSTRAINT email_messages_sent_has_transport CHECK (status <> 'sent' OR transport IS NOT NULL)
);

-- The dev mailbox lists an organization's messages newest first.
CREATE INDEX email_messages_dev_mailbox ON email_messages (org_id, id DESC)
  WHERE transport = 'dev_mailbox';

-- Addresses that must not be mailed again for an organization (a permanent 5xx, later bounces
-- and complaints). Addresses are stored lower-cased.
CREATE TABLE email_suppressions (
  org_id      uuid        NOT NULL,
  address     text        NOT NULL CHECK (address = lower(address) AND char_length(address) <= 320),
  reason      text        NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, address),
  CONSTRAINT email_suppressions_org_fk FOREIGN KEY (org_id) REFERENCES organizations (org_id)
);
