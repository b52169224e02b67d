-- Read paths at a megacity's scale (issue 6). Three indexes below replace one of the same name (same columns; the
-- case worklists' two put the state first) and one is new (overdue); the added
-- INCLUDE columns let the worklists, their counts and the 三率 sums be answered from the index alone (an
-- index-only scan), instead of visiting one heap page per matching case, which is what made them grow with the
-- size of the database (measured with EXPLAIN (ANALYZE, BUFFERS) on 1M cases: bench/README.md, "Read paths").

-- "To handle" (owner's branch) and the other owner-path worklists: the columns the data-scope filter, the page
-- order and the count read (territory_path, due_at, id). The state comes first: every worklist names its states,
-- and with the path (a LIKE prefix, i.e. a range) first, a grid's index range held all of its closed cases too.
DROP INDEX IF EXISTS cases_owner_path_idx;
CREATE INDEX cases_owner_path_idx ON cases (state, owner_unit_path) INCLUDE (due_at, territory_path, id);

-- "To handle" (lead department's branch).
DROP INDEX IF EXISTS cases_lead_path_idx;
CREATE INDEX cases_lead_path_idx ON cases (state, lead_unit_path) INCLUDE (due_at, territory_path, id)
  WHERE lead_unit_path IS NOT NULL;

-- "Overdue": active cases (open, not resolved) without a hand-set colour, in deadline order, with what the data
-- scope tests. The worklist states its condition literally (closed_at IS NULL AND state <> 'resolved' AND
-- manual_colour IS NULL) so that the planner matches this index; with the list of active states as an IN (…)
-- it AND-ed a bitmap of every open case's state with this range instead (75–170 ms for the count on 1M cases).
CREATE INDEX cases_overdue_idx ON cases (due_at) INCLUDE (territory_path, id)
  WHERE closed_at IS NULL AND manual_colour IS NULL AND state <> 'resolved';

-- 三率 over a unit's subtree and a period: the counters ride in the index, so a year of a district is one
-- index range read, not a scan of the table (or one heap fetch per unit-day).
DROP INDEX IF EXISTS case_stats_daily_path_idx;
CREATE INDEX case_stats_daily_path_idx ON case_stats_daily (dimension, unit_path, day)
  INCLUDE (received, assigned, responded, responded_in_time, resolved, resolved_in_time, visited, solved,
           satisfied, partly_satisfied, dissatisfied, no_answer, closed);
