-- Worklists at a megacity's scale: what waits for a unit is found from the unit's side (its owned cases, its
-- open assignments) and from the few open cases that are due or supervised, never by scanning every open case.
-- Measured on 1M cases (bench/RESULTS.md): a grid worker's "to handle" went from 0.8–9 s to milliseconds.
CREATE INDEX IF NOT EXISTS cases_owner_path_idx ON cases (owner_unit_path, state);
CREATE INDEX IF NOT EXISTS case_assignments_open_path_idx ON case_assignments (unit_path, case_id)
  WHERE status IN ('pending', 'checkedIn');
CREATE INDEX IF NOT EXISTS cases_open_due_idx ON cases (due_at) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_open_supervised_idx ON cases (id) WHERE supervised AND closed_at IS NULL;
-- Supervisors' lists of the exceptional: each a small partial index, matched literally by the worklist queries.
CREATE INDEX IF NOT EXISTS cases_extension_requests_idx ON cases (id) WHERE pending_extension IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_returned_twice_idx ON cases (id) WHERE return_count >= 2 AND closed_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_dissatisfied_idx ON cases (id)
  WHERE closed_at IS NULL AND (round >= 2 OR rating = 'dissatisfied');

-- The lead department's path beside its id, so "cases my department leads" is an index range like the owner's.
ALTER TABLE cases ADD COLUMN lead_unit_path text COLLATE "C";
UPDATE cases SET lead_unit_path = u.path FROM units u WHERE u.id = cases.lead_unit_id;
CREATE INDEX cases_lead_path_idx ON cases (lead_unit_path, state) WHERE lead_unit_path IS NOT NULL;

-- Moving a unit moves the paths stored with the cases it leads or owns, as it does for people.
CREATE FUNCTION units_carry_case_paths() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases SET owner_unit_path = NEW.path || substr(owner_unit_path, length(OLD.path) + 1)
   WHERE owner_unit_path LIKE OLD.path || '%';
  UPDATE cases SET lead_unit_path = NEW.path || substr(lead_unit_path, length(OLD.path) + 1)
   WHERE lead_unit_path LIKE OLD.path || '%';
  UPDATE cases SET territory_path = NEW.path || substr(territory_path, length(OLD.path) + 1)
   WHERE territory_path LIKE OLD.path || '%';
  UPDATE case_assignments SET unit_path = NEW.path || substr(unit_path, length(OLD.path) + 1)
   WHERE unit_path LIKE OLD.path || '%';
  UPDATE call_requests SET territory_path = NEW.path || substr(territory_path, length(OLD.path) + 1)
   WHERE territory_path LIKE OLD.path || '%';
  RETURN NULL;
END;
$$;
CREATE TRIGGER units_path_to_cases AFTER UPDATE OF path ON units
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION units_carry_case_paths();
