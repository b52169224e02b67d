-- Photos and documents for cases and case events. The bytes live in a file store (DATA_DIR/uploads/ under a
-- generated key, never the client's file name); this row says what they are and who may read them. An upload
-- belongs to its uploader until a case write claims it onto a case (and, optionally, one of its events).
CREATE TABLE attachments (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id             bigint REFERENCES cases (id),
  event_id            bigint REFERENCES case_events (id),
  uploader_account_id integer NOT NULL REFERENCES accounts (id),
  kind                text NOT NULL CHECK (kind IN ('image', 'document')),
  -- Detected from the bytes (image/jpeg, image/png, image/webp, image/gif, application/pdf), never the client's.
  content_type        text NOT NULL,
  byte_size           integer NOT NULL CHECK (byte_size > 0),
  sha256              text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key         text NOT NULL UNIQUE,
  -- The client's file name, for display only.
  original_name       text CHECK (char_length(original_name) <= 255),
  -- Pixel size read from the image header; null for documents.
  width               integer CHECK (width > 0),
  height              integer CHECK (height > 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (event_id IS NULL OR case_id IS NOT NULL)
);
CREATE INDEX attachments_case_idx ON attachments (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_uploader_idx ON attachments (uploader_account_id, created_at);
