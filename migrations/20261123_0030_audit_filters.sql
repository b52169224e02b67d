-- The audit log is read by action (prefix or exact) and by unit for scoped auditors, newest first.
CREATE INDEX audit_log_action_idx ON audit_log (action text_pattern_ops, at);
CREATE INDEX audit_log_unit_idx ON audit_log (unit_id, at) WHERE unit_id IS NOT NULL;
