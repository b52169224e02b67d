-- Idempotency-Key (issue 7): a retried or double-tapped creating POST yields one record and the same answer.
-- A row is written in the same transaction as the creation it guards, so "the creation committed" and "the key
-- is recorded" are one fact; the answer (status and body) is added right after, when it has been rendered.
-- Keys are scoped by the signed-in account: one account's key never finds another's row. Requests without an
-- account (sign-in) do not record keys. Rows older than 24 hours are purged by a background job.
CREATE TABLE idempotency_keys (
  account_id      integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key             text NOT NULL CHECK (key ~ '^[!-~]{1,255}$'),
  method          text NOT NULL,
  route           text NOT NULL,
  -- SHA-256 (hex) of the method, route pattern, path parameters, query and canonical JSON body.
  fingerprint     text NOT NULL,
  -- Ids from the creating transaction's result (e.g. {"caseId": 12}): what a retry is told if the server died
  -- after the commit but before the answer was stored.
  reference       jsonb,
  response_status integer,
  response_type   text,
  response_body   text,
  created_at      timestamptz NOT NULL,
  completed_at    timestamptz,
  PRIMARY KEY (account_id, key)
);
-- The purge walks the oldest rows first.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
