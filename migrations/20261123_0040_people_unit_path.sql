-- The unit path of a person's unit, kept on the person by triggers, so that "people in this subtree, in
-- order of place" is one ordered range scan of one index: (unit_path, id) with the byte-wise "C" collation
-- serves both `unit_path LIKE '/1/5/%'` and `ORDER BY unit_path, id`, whatever the database collation.
-- (Joining units instead hides the selectivity from the planner, which then walks every person in id order.)
ALTER TABLE people ADD COLUMN unit_path text COLLATE "C";
UPDATE people p SET unit_path = u.path FROM units u WHERE u.id = p.unit_id;
CREATE INDEX people_unit_path_idx ON people (unit_path, id);

CREATE FUNCTION people_set_unit_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id IS NULL THEN
    NEW.unit_path := NULL;
  ELSE
    SELECT path INTO NEW.unit_path FROM units WHERE id = NEW.unit_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER people_unit_path BEFORE INSERT OR UPDATE OF unit_id, unit_path ON people
  FOR EACH ROW EXECUTE FUNCTION people_set_unit_path();

-- A unit moved (its path rewritten) carries its people along.
CREATE FUNCTION units_carry_people_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE people SET unit_path = NEW.path WHERE unit_id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER units_path_to_people AFTER UPDATE OF path ON units
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION units_carry_people_path();
