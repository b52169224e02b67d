-- Statistics rollups for 三率 (threeRates), rankings, the weekly bulletin and the monthly league table.
-- One row per unit, day (Asia/Shanghai), case type and dimension, kept up to date by metrics/case-stats.ts in
-- the same transaction as each case event, so reports sum at most (units × days) rows instead of scanning cases.
--
-- Dimensions:
--  - territory: counted against the case's territory unit (its grid, or the street/community holding it) —
--    streets, communities and grids are ranked on what happens in their territory, whoever handles it;
--  - handler: counted against the unit that was given the work, answered it, resolved it or was rated for it
--    (grids, communities, streets, departments) — departments are ranked on what they handled.
--
-- Attribution day: the day of the event (intake, assignment, resolution, visit, close), except that a
-- response is counted against its assignment — on the day the assignment was given — so that
-- responseRate = responded_in_time / assigned compares the same assignments (never above 100%).
CREATE TABLE case_stats_daily (
  unit_id            integer NOT NULL REFERENCES units (id),
  -- Kept equal to units.path by the trigger below (a moved unit carries its rows along).
  unit_path          text COLLATE "C" NOT NULL,
  day                date NOT NULL,
  case_type          text NOT NULL REFERENCES case_types (code),
  dimension          text NOT NULL CHECK (dimension IN ('territory', 'handler')),
  -- Cases taken in (territory only).
  received           integer NOT NULL DEFAULT 0,
  -- Assignments given (dispatch to a grid/community/street, whistle to lead and assisting departments, reopen).
  assigned           integer NOT NULL DEFAULT 0,
  -- Of the assignments given that day: answered (checked in or first acted on), and within the response limit.
  responded          integer NOT NULL DEFAULT 0,
  responded_in_time  integer NOT NULL DEFAULT 0,
  -- Resolutions (a reopened case resolved again counts again), and those within the resolution deadline.
  resolved           integer NOT NULL DEFAULT 0,
  resolved_in_time   integer NOT NULL DEFAULT 0,
  -- Return visits recorded (noAnswer included); solved counts answers "solved = yes".
  visited            integer NOT NULL DEFAULT 0,
  solved             integer NOT NULL DEFAULT 0,
  satisfied          integer NOT NULL DEFAULT 0,
  partly_satisfied   integer NOT NULL DEFAULT 0,
  dissatisfied       integer NOT NULL DEFAULT 0,
  no_answer          integer NOT NULL DEFAULT 0,
  -- Cases archived (closed, or merged into another) (territory only).
  closed             integer NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, day, case_type, dimension)
);
-- Subtree sums: `dimension = $1 AND unit_path LIKE '/1/5/%' AND day BETWEEN $2 AND $3` is one range scan.
CREATE INDEX case_stats_daily_path_idx ON case_stats_daily (dimension, unit_path, day);

CREATE FUNCTION units_carry_stats_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_stats_daily SET unit_path = NEW.path WHERE unit_id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER units_path_to_case_stats AFTER UPDATE OF path ON units
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION units_carry_stats_path();

-- Current-state counts (open, overdue, red, supervised now) read only open cases of a subtree.
CREATE INDEX cases_open_territory_idx ON cases (territory_path, id) WHERE closed_at IS NULL;
-- Ledgers: the cases of one type taken in between two dates.
CREATE INDEX cases_type_created_idx ON cases (case_type, created_at);
