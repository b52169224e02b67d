-- "Me too" (附议): a resident who meets the same problem joins an open case near them instead of reporting a
-- duplicate. Supporters follow the case like its reporter (it shows in their list; they are told when it is
-- resolved or closed) but do not rate it. One row per case and account: joining twice changes nothing.
CREATE TABLE case_supporters (
  case_id    bigint NOT NULL REFERENCES cases (id),
  account_id integer NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, account_id)
);
-- "The cases I joined": a resident's list and the access rule read it by account.
CREATE INDEX case_supporters_account_idx ON case_supporters (account_id, case_id);

-- Kept on the case row (written in the join's transaction) so lists and the similar-case search show the count
-- without counting rows. A constant default adds the column without rewriting or scanning the table.
ALTER TABLE cases ADD COLUMN supporters_count integer NOT NULL DEFAULT 0;
