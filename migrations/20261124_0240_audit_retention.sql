-- Audit retention (issue 7, item 6; 等保 level 3 keeps audit records at least six months). The audit log stays
-- append-only, with one exception enforced by the database itself: a DELETE of a row older than the retention
-- below. UPDATE and TRUNCATE are still refused, and the retention can never be set under 180 days, so not even
-- the application's own role can remove a record younger than that. The auditLog background job writes the
-- configured AUDIT_RETENTION_DAYS here, then deletes the older rows in batches.
CREATE TABLE audit_retention (
  -- One row only.
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  retention_days integer NOT NULL CHECK (retention_days >= 180)
);
INSERT INTO audit_retention (id, retention_days) VALUES (true, 365);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- No settings row (or a NULL in it) makes the comparison NULL: refused, so the rule fails closed.
    IF OLD.at < now() - make_interval(days => (SELECT retention_days FROM audit_retention WHERE id)) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: rows younger than the retention cannot be deleted'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
