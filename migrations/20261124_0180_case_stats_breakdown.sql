-- Cases taken in by top-level category and by channel, per territory unit and month (Asia/Shanghai), for the
-- dashboards' "by category" and "by channel" charts. Kept up to date by metrics/case-stats.ts in the same
-- transaction as the events that change it:
--  - intake: +1 on the row of the case's territory, intake month, type, top-level category and channel;
--  - a change of category (classify) that changes the top-level category: −1 on the old row, +1 on the new one,
--    in the month the case was taken in (a case is counted once, under the category it has now).
-- Months, not days: a district's year is (grids × 12 × categories × channels) rows at most — tens of thousands
-- at a million cases — where daily rows would be about as many as the cases themselves. Reports round their
-- period outward to whole months for these two charts and say so.
CREATE TABLE case_stats_breakdown (
  unit_id      integer NOT NULL REFERENCES units (id),
  -- Kept equal to units.path by the trigger below (a moved unit carries its rows along).
  unit_path    text COLLATE "C" NOT NULL,
  -- The first day of the month the cases were taken in.
  month        date NOT NULL CHECK (extract(day FROM month) = 1),
  case_type    text NOT NULL REFERENCES case_types (code),
  -- The top-level category (case_categories.id with parent_id NULL); 0 = not classified yet.
  category_id  integer NOT NULL,
  channel      text NOT NULL
                 CHECK (channel IN ('h5', 'call', 'hotline', 'patrol', 'enterpriseVisit', 'inspection', 'task')),
  received     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, month, case_type, category_id, channel)
);
-- Subtree sums: `unit_path LIKE '/1/5/%' AND month BETWEEN $1 AND $2` is one index-only range scan.
CREATE INDEX case_stats_breakdown_path_idx ON case_stats_breakdown (unit_path, month)
  INCLUDE (case_type, category_id, channel, received);

CREATE FUNCTION units_carry_breakdown_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_stats_breakdown SET unit_path = NEW.path WHERE unit_id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER units_path_to_case_stats_breakdown AFTER UPDATE OF path ON units
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION units_carry_breakdown_path();

-- The cases already taken in.
INSERT INTO case_stats_breakdown (unit_id, unit_path, month, case_type, category_id, channel, received)
SELECT c.territory_unit_id, min(u.path),
       date_trunc('month', c.created_at AT TIME ZONE 'Asia/Shanghai')::date,
       c.case_type, coalesce(cat.parent_id, cat.id, 0), c.channel, count(*)
  FROM cases c
  JOIN units u ON u.id = c.territory_unit_id
  LEFT JOIN case_categories cat ON cat.id = c.category_id
 GROUP BY 1, 3, 4, 5, 6;

-- "Open now" on the dashboards and the bulletin (open, overdue, red, supervised per territory) counts the open
-- cases of a subtree: an index-only scan of this covering partial index instead of a heap visit per open case
-- (at a million cases with a fifth open: about a third of the time, measured on PostgreSQL 15).
-- The grid map's case load per grid (grids/case-load.repository.ts) reads the same index, resolved cases
-- awaiting their visit included, hence the wider INCLUDE list and no state in the predicate.
CREATE INDEX cases_open_now_idx ON cases (territory_path)
  INCLUDE (case_type, due_at, colour, supervised, id, grid_id, state, territory_unit_id)
  WHERE closed_at IS NULL;
