import { type RawBuilder, sql } from 'kysely';
import type { Database, Trx } from '../db/database.ts';
import type { CaseState } from '../modules/cases/case-machine.ts';
import { nextId, rowCount, syncSequence } from './synthetic-sql.ts';

/**
 * Synthetic cases over a synthetic (or any) territory, generated inside the database with set-based SQL:
 * INSERT … SELECT over generate_series, every "random" choice a seeded hash of (seed, case number, draw), so
 * no row crosses the wire and the same options give the same rows on PGlite and on a PostgreSQL server.
 *
 * Shape, as a year of a hotline's data looks:
 *  - cases spread Pareto-like over the grids (a few busy grids, many quiet ones); categories skewed (the
 *    first of HOT_CATEGORIES take most of the volume, then a long tail);
 *  - created over the last 12 months, with a summer peak, quieter weekends, a growing trend and rush hours
 *    (mornings and afternoons); open cases are recent (days to weeks), so some are past their time limit;
 *  - about 70 % closed (visited, a visit that expired unanswered, reopened after a dissatisfied visit, closed
 *    by a supervisor), the rest inGrid, atCommunity, whistled, handling or resolved (waiting for the visit),
 *    some under supervision;
 *  - 2–8 events per case along one of PATHS, each event's from_state the previous one's to_state and the
 *    case row derived from the last (state, owner, lead, round, resume_state, rating, colour, time limits,
 *    version = event_count), the assignments each step gives (grid, community, lead department) with their
 *    response times, and the statistics rollups (case_stats_daily, case_stats_breakdown) those events add up to.
 *
 * Simplifications (it is test data): every case is a resident appeal reported by phone; time limits are
 * calendar approximations of the working-time ones (respond in 1 day, resolve in 7 days, 5 after a whistle);
 * colourChange and inviteVisit events are not written (the markers they set are); the search vector is the
 * category's keywords and name (array_to_tsvector: jieba in Node is far too slow for a million rows) — a
 * search for a category word finds these cases; location is a point inside the grid's bounding box.
 */
export interface CaseGeneratorOptions {
  count: number;
  /** Different seeds give different (but equally shaped) data. */
  seed?: number;
  /** The moment the data ends at; the last 12 months before it are filled. */
  now?: Date;
  /** Only grids under this unit path (with a boundary); all grids with a boundary when absent. */
  rootPath?: string;
  /** Cases per INSERT … SELECT (bounds the statements' temporary space). */
  batchSize?: number;
  /** Case numbers are `<prefix>-<year>-<id>`; the app numbers its own from a sequence with its own prefix. */
  numberPrefix?: string;
  /**
   * Draw the cases numbered firstIndex … firstIndex + count − 1 of the seeded sequence (default 0): a big load in
   * chunks (one transaction each) draws the same cases as one call would, except that ids follow creation time
   * only within each chunk.
   */
  firstIndex?: number;
  /** VACUUM (ANALYZE) the case tables at the end (default true); a chunked load does it after its last chunk. */
  vacuum?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface CaseGeneratorResult {
  cases: number;
  events: number;
  assignments: number;
  /** Rollup rows written, or null when the database has no case_stats_daily table. */
  statsRows: number | null;
  /** The busiest grid (most cases). */
  busiestGridId: number;
  seconds: number;
}

const TIME_ZONE = 'Asia/Shanghai';

/** Categories by how often they come in (12345-style), most frequent first; the rest follow in id order. */
const HOT_CATEGORIES = [
  'environment.garbage',
  'transport.parking',
  'noise.renovation',
  'property.service',
  'municipal.road',
  'environment.streetVending',
  'property.leak',
  'noise.construction',
  'municipal.drainage',
  'property.elevator',
  'municipal.streetLight',
  'neighbourhood.quarrel',
  'environment.fumes',
  'property.stairwell',
  'noise.household',
  'municipal.heating',
  'publicSafety.fire',
  'environment.posters',
  'construction.illegalBuilding',
  'socialSecurity.wages',
];

/** Used only when the database has no second-level categories (migration 0105 missing). */
const FALLBACK_CATEGORIES: Array<[string, string, string[]]> = [
  ['synthetic.garbage', '垃圾清运', ['垃圾', '清运', '垃圾桶']],
  ['synthetic.parking', '乱停乱放', ['乱停', '违停', '共享单车']],
  ['synthetic.noise', '噪音扰民', ['噪音', '装修', '扰民']],
  ['synthetic.property', '物业服务', ['物业', '物业公司', '电梯']],
  ['synthetic.road', '道路破损', ['路面', '坑洼', '井盖']],
  ['synthetic.water', '供水排水', ['停水', '积水', '下水道']],
];

/** Calls by hour of day (0–23): night trickle, morning and afternoon peaks, an evening shoulder. */
const HOUR_WEIGHTS = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.6, 3.0, 3.6, 3.3, 2.6, 1.5, 1.8, 2.9, 3.1, 2.8, 2.2, 1.6, 1.7, 1.6, 1.1, 0.7,
  0.4,
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏';

// ---------------------------------------------------------------------------------------------------------------
// Paths: the event sequences a case takes, as data. A step's `at` is the share of the case's span at which it
// happens (each step also one minute after the previous). Every path starts with intake and classify (the hotline
// operator), which routes the case to its grid.

type Level = 'grid' | 'community' | 'dept';
type Who = 'operator' | 'grid' | 'community' | 'dept' | 'supervisor' | 'system';
type Outcome = 'good' | 'bad' | 'noAnswer';

interface Step {
  action: string;
  to: CaseState;
  owner: 'grid' | 'community';
  by: Who;
  at: number;
  note?: string;
  /** A resolution: by whom, and the limit it is measured against (from step `dueFrom`, 1-based, + days). */
  resolve?: { by: Level; dueFrom: number; dueDays: number };
  /** A return visit (or its expiry) and how it went. */
  visit?: Outcome;
}

interface Assignment {
  /** The step (1-based) that gave it. */
  at: number;
  role: 'owner' | 'lead';
  level: Level;
  status: 'pending' | 'checkedIn' | 'done';
  /** The step at which the unit answered; null while pending. */
  respondedAt: number | null;
  round?: number;
}

interface Path {
  name: string;
  /** Share of cases, per mille (all paths add up to 1000). */
  permille: number;
  steps: Step[];
  assignments: Assignment[];
  supervised?: boolean;
  /** Open cases: the limit the colour measures now, from step `from` (1-based) + days. */
  limit?: { kind: 'response' | 'resolution'; from: number; days: number };
  /** Open cases: the resolution deadline. (Resolved and closed ones take it from their last resolution.) */
  resolutionDue?: { from: number; days: number };
}

const INTAKE: Step = { action: 'intake', to: 'received', owner: 'grid', by: 'operator', at: 0 };
const CLASSIFY: Step = { action: 'classify', to: 'inGrid', owner: 'grid', by: 'operator', at: 0 };
const escalate = (at: number): Step => ({
  action: 'escalate',
  to: 'atCommunity',
  owner: 'community',
  by: 'grid',
  at,
  note: '需要社区协调解决',
});
const whistle = (at: number): Step => ({ action: 'whistle', to: 'whistled', owner: 'community', by: 'community', at });
const checkIn = (at: number): Step => ({ action: 'checkIn', to: 'handling', owner: 'community', by: 'dept', at });
const note = (to: CaseState, owner: 'grid' | 'community', by: Who, at: number): Step => ({
  action: 'note',
  to,
  owner,
  by,
  at,
  note: '已联系反映人，正在处理',
});
const supervise = (to: CaseState, owner: 'grid' | 'community', at: number): Step => ({
  action: 'supervise',
  to,
  owner,
  by: 'supervisor',
  at,
  note: '督办：请尽快办结',
});
const selfResolve = (at: number, dueFrom = 2): Step => ({
  action: 'selfResolve',
  to: 'resolved',
  owner: 'grid',
  by: 'grid',
  at,
  note: '已现场处理完毕',
  resolve: { by: 'grid', dueFrom, dueDays: 7 },
});
const resolveBy = (by: 'community' | 'dept', at: number, dueFrom: number, dueDays: number): Step => ({
  action: 'resolve',
  to: 'resolved',
  owner: 'community',
  by,
  at,
  note: '已办结',
  resolve: { by, dueFrom, dueDays },
});
const visit = (owner: 'grid' | 'community', at: number, outcome: Outcome, to: CaseState = 'closed'): Step => ({
  action: outcome === 'noAnswer' ? 'expireVisit' : 'visit',
  to,
  owner,
  by: outcome === 'noAnswer' ? 'system' : 'operator',
  at,
  visit: outcome,
});

const GRID_DONE: Assignment = { at: 2, role: 'owner', level: 'grid', status: 'done', respondedAt: 3 };
const DEPT_CHAIN: Assignment[] = [
  GRID_DONE,
  { at: 3, role: 'owner', level: 'community', status: 'done', respondedAt: 4 },
  { at: 4, role: 'lead', level: 'dept', status: 'done', respondedAt: 5 },
];
const DEPT_OPEN = (lead: Assignment['status']): Assignment[] => [
  GRID_DONE,
  { at: 3, role: 'owner', level: 'community', status: 'checkedIn', respondedAt: 4 },
  { at: 4, role: 'lead', level: 'dept', status: lead, respondedAt: lead === 'pending' ? null : 5 },
];
const FROM_CLASSIFY = { from: 2, days: 7 };
const FROM_WHISTLE = { from: 4, days: 5 };

export const PATHS: Path[] = [
  // Open: 300 ‰.
  {
    name: 'inGrid',
    permille: 50,
    steps: [INTAKE, CLASSIFY],
    assignments: [{ at: 2, role: 'owner', level: 'grid', status: 'pending', respondedAt: null }],
    limit: { kind: 'resolution', ...FROM_CLASSIFY },
    resolutionDue: FROM_CLASSIFY,
  },
  {
    name: 'inGridNoted',
    permille: 30,
    steps: [INTAKE, CLASSIFY, note('inGrid', 'grid', 'grid', 0.6)],
    assignments: [{ at: 2, role: 'owner', level: 'grid', status: 'checkedIn', respondedAt: 3 }],
    limit: { kind: 'resolution', ...FROM_CLASSIFY },
    resolutionDue: FROM_CLASSIFY,
  },
  {
    name: 'atCommunity',
    permille: 25,
    steps: [INTAKE, CLASSIFY, escalate(0.5)],
    assignments: [GRID_DONE, { at: 3, role: 'owner', level: 'community', status: 'pending', respondedAt: null }],
    limit: { kind: 'resolution', ...FROM_CLASSIFY },
    resolutionDue: FROM_CLASSIFY,
  },
  {
    name: 'atCommunityNoted',
    permille: 10,
    steps: [INTAKE, CLASSIFY, escalate(0.4), note('atCommunity', 'community', 'community', 0.8)],
    assignments: [GRID_DONE, { at: 3, role: 'owner', level: 'community', status: 'checkedIn', respondedAt: 4 }],
    limit: { kind: 'resolution', ...FROM_CLASSIFY },
    resolutionDue: FROM_CLASSIFY,
  },
  {
    name: 'atCommunitySupervised',
    permille: 5,
    steps: [INTAKE, CLASSIFY, escalate(0.4), supervise('atCommunity', 'community', 0.8)],
    assignments: [GRID_DONE, { at: 3, role: 'owner', level: 'community', status: 'pending', respondedAt: null }],
    supervised: true,
    limit: { kind: 'resolution', ...FROM_CLASSIFY },
    resolutionDue: FROM_CLASSIFY,
  },
  {
    name: 'whistled',
    permille: 30,
    steps: [INTAKE, CLASSIFY, escalate(0.3), whistle(0.6)],
    assignments: DEPT_OPEN('pending'),
    limit: { kind: 'response', from: 4, days: 1 },
    resolutionDue: FROM_WHISTLE,
  },
  {
    name: 'handling',
    permille: 40,
    steps: [INTAKE, CLASSIFY, escalate(0.3), whistle(0.5), checkIn(0.8)],
    assignments: DEPT_OPEN('checkedIn'),
    limit: { kind: 'resolution', ...FROM_WHISTLE },
    resolutionDue: FROM_WHISTLE,
  },
  {
    name: 'handlingNoted',
    permille: 15,
    steps: [INTAKE, CLASSIFY, escalate(0.2), whistle(0.4), checkIn(0.6), note('handling', 'community', 'dept', 0.9)],
    assignments: DEPT_OPEN('checkedIn'),
    limit: { kind: 'resolution', ...FROM_WHISTLE },
    resolutionDue: FROM_WHISTLE,
  },
  {
    name: 'handlingSupervised',
    permille: 5,
    steps: [INTAKE, CLASSIFY, escalate(0.2), whistle(0.4), checkIn(0.6), supervise('handling', 'community', 0.9)],
    assignments: DEPT_OPEN('checkedIn'),
    supervised: true,
    limit: { kind: 'resolution', ...FROM_WHISTLE },
    resolutionDue: FROM_WHISTLE,
  },
  {
    name: 'resolvedInGrid',
    permille: 50,
    steps: [INTAKE, CLASSIFY, selfResolve(1)],
    assignments: [GRID_DONE],
  },
  {
    name: 'resolvedByDepartment',
    permille: 40,
    steps: [INTAKE, CLASSIFY, escalate(0.2), whistle(0.3), checkIn(0.4), resolveBy('dept', 1, 4, 5)],
    assignments: DEPT_CHAIN,
  },
  // Closed: 700 ‰.
  {
    name: 'closedInGrid',
    permille: 300,
    steps: [INTAKE, CLASSIFY, selfResolve(0.6), visit('grid', 1, 'good')],
    assignments: [GRID_DONE],
  },
  {
    name: 'closedVisitExpired',
    permille: 50,
    steps: [INTAKE, CLASSIFY, selfResolve(0.5), visit('grid', 1, 'noAnswer')],
    assignments: [GRID_DONE],
  },
  {
    name: 'closedByCommunity',
    permille: 100,
    steps: [INTAKE, CLASSIFY, escalate(0.3), resolveBy('community', 0.7, 2, 7), visit('community', 1, 'good')],
    assignments: [GRID_DONE, { at: 3, role: 'owner', level: 'community', status: 'done', respondedAt: 4 }],
  },
  {
    name: 'closedByDepartment',
    permille: 120,
    steps: [
      INTAKE,
      CLASSIFY,
      escalate(0.2),
      whistle(0.3),
      checkIn(0.4),
      resolveBy('dept', 0.8, 4, 5),
      visit('community', 1, 'good'),
    ],
    assignments: DEPT_CHAIN,
  },
  {
    name: 'closedByDepartmentNoted',
    permille: 50,
    steps: [
      INTAKE,
      CLASSIFY,
      escalate(0.2),
      whistle(0.3),
      checkIn(0.4),
      note('handling', 'community', 'dept', 0.6),
      resolveBy('dept', 0.8, 4, 5),
      visit('community', 1, 'good'),
    ],
    assignments: DEPT_CHAIN,
  },
  {
    name: 'closedAfterReopening',
    permille: 50,
    steps: [
      INTAKE,
      CLASSIFY,
      selfResolve(0.3),
      visit('grid', 0.45, 'bad', 'inGrid'),
      selfResolve(0.7, 4),
      visit('grid', 1, 'good'),
    ],
    assignments: [GRID_DONE, { at: 4, role: 'owner', level: 'grid', status: 'done', respondedAt: 5, round: 2 }],
  },
  {
    name: 'closedBySupervisor',
    permille: 30,
    steps: [
      INTAKE,
      CLASSIFY,
      selfResolve(0.25),
      visit('grid', 0.4, 'bad', 'inGrid'),
      selfResolve(0.55, 4),
      visit('grid', 0.7, 'bad', 'supervisionReview'),
      {
        action: 'closeBySupervisor',
        to: 'closed',
        owner: 'grid',
        by: 'supervisor',
        at: 1,
        note: '经督查核实，予以办结',
      },
    ],
    assignments: [GRID_DONE, { at: 4, role: 'owner', level: 'grid', status: 'done', respondedAt: 5, round: 2 }],
    supervised: true,
  },
];

// ---------------------------------------------------------------------------------------------------------------

const lit = (v: string | number | boolean | null) => (v === null ? sql`NULL` : sql.lit(v));
const values = (rows: Array<Array<string | number | boolean | null>>) =>
  sql.join(rows.map((r) => sql`(${sql.join(r.map(lit))})`));

/** The per-path, per-step and per-assignment tables the generator joins, from PATHS. */
function pathTables() {
  const paths: Array<Array<string | number | boolean | null>> = [];
  const steps: Array<Array<string | number | boolean | null>> = [];
  const assignments: Array<Array<string | number | boolean | null>> = [];
  PATHS.forEach((p, index) => {
    const id = index + 1;
    const n = p.steps.length;
    const last = p.steps[n - 1]!;
    const frac = (seq: number | null | undefined) => (seq ? p.steps[seq - 1]!.at : null);
    const kind = last.to === 'closed' ? 'closed' : last.to === 'resolved' ? 'resolved' : 'open';
    const lastResolve = p.steps.findLastIndex((s) => s.resolve) + 1 || null;
    const lastVisit = p.steps.findLastIndex((s) => s.visit) + 1 || null;
    const resolve = lastResolve ? p.steps[lastResolve - 1]!.resolve! : null;
    const due =
      kind === 'open' ? (p.resolutionDue ?? null) : resolve && { from: resolve.dueFrom, days: resolve.dueDays };
    const round = 1 + p.steps.filter((s) => s.visit === 'bad' && s.to !== 'supervisionReview').length;
    const limit = kind === 'open' ? (p.limit ?? null) : null;
    paths.push([
      id,
      p.name,
      p.permille,
      kind,
      last.to,
      n,
      p.assignments.length,
      last.owner,
      p.steps.some((s) => s.action === 'whistle'),
      p.supervised ?? false,
      round,
      lastResolve ? p.steps[lastResolve - 2]!.to : null,
      limit?.kind ?? null,
      limit?.from ?? null,
      frac(limit?.from),
      limit?.days ?? null,
      due?.from ?? null,
      frac(due?.from),
      due?.days ?? null,
      lastResolve,
      frac(lastResolve),
      lastVisit,
      frac(lastVisit),
      lastVisit ? p.steps[lastVisit - 1]!.visit! : null,
      last.at,
    ]);
    let resolver: Level | null = null;
    p.steps.forEach((s, i) => {
      if (s.resolve) resolver = s.resolve.by;
      const dueFrom = s.resolve?.dueFrom ?? (s.action === 'checkIn' ? 4 : null);
      steps.push([
        id,
        i + 1,
        s.action,
        i === 0 ? null : p.steps[i - 1]!.to,
        s.to,
        s.owner,
        s.by,
        s.at,
        s.note ?? null,
        s.resolve || s.visit ? resolver : null,
        dueFrom,
        frac(dueFrom),
        s.resolve?.dueDays ?? (s.action === 'checkIn' ? 1 : null),
        s.visit ?? null,
      ]);
    });
    p.assignments.forEach((a, k) => {
      assignments.push([
        id,
        k + 1,
        a.at,
        frac(a.at),
        a.role,
        a.level,
        a.status,
        a.respondedAt,
        frac(a.respondedAt),
        a.round ?? 1,
      ]);
    });
  });
  const total = PATHS.reduce((s, p) => s + p.permille, 0);
  if (total !== 1000) throw new Error(`case paths add up to ${total} per mille, not 1000`);
  return { paths: values(paths), steps: values(steps), assignments: values(assignments) };
}

/**
 * A lookup table `name (slot, key)` that maps `slots` equal slots onto keys in proportion to their weights
 * (integer boundaries from the cumulative share, so every slot has exactly one key): picking slot
 * ⌊u · slots⌋ for a uniform u picks a key with probability ∝ its weight, by a hash join.
 */
async function slotTable(trx: Trx, name: string, source: RawBuilder<unknown>, slots: number) {
  await sql`CREATE TEMP TABLE ${sql.table(name)} (slot int PRIMARY KEY, key int NOT NULL) ON COMMIT DROP`.execute(trx);
  await sql`
    INSERT INTO ${sql.table(name)} (slot, key)
    SELECT s.slot, b.key
    FROM (SELECT key, coalesce(lag(bound) OVER (ORDER BY key), 0) AS first, bound - 1 AS last
          FROM (SELECT key, round(sum(weight) OVER (ORDER BY key) / sum(weight) OVER () * ${sql.lit(slots)})::int AS bound
                FROM (${source}) w) c) b
    CROSS JOIN LATERAL generate_series(b.first, b.last) AS s (slot)`.execute(trx);
  await sql`ANALYZE ${sql.table(name)}`.execute(trx);
}

export async function generateCases(database: Database, options: CaseGeneratorOptions): Promise<CaseGeneratorResult> {
  const started = performance.now();
  const count = options.count;
  if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) throw new Error('seed must be an integer 0..1000000');
  const batchSize = options.batchSize ?? 100_000;
  const firstIndex = options.firstIndex ?? 0;
  if (!Number.isInteger(firstIndex) || firstIndex < 0 || firstIndex + count > 2 ** 31 - 1)
    throw new Error('firstIndex must be an integer ≥ 0 with firstIndex + count < 2^31');
  const prefix = options.numberPrefix ?? 'SY';
  if (!/^[A-Z]{1,6}$/.test(prefix)) throw new Error('numberPrefix must be 1–6 capital letters');
  const nowIso = (options.now ?? new Date()).toISOString();
  const now = sql`${sql.lit(nowIso)}::timestamptz`;
  const rootLike = `${options.rootPath ?? '/'}%`;

  /** A uniform draw in [0, 1) from a seeded hash of (x, k): the k-th "random" number of row x. */
  const u = (x: RawBuilder<unknown>, k: number) =>
    sql<number>`((hashint8extended((${x})::bigint, ${sql.lit(seed * 1000 + k)}::bigint) & 9007199254740991)::float8 / 9007199254740992.0)`;
  const ci = sql`c.i`;
  /** The time of step `seq` (1-based) at share `frac` of the case's span; each step one minute after the last. */
  const at = (seq: RawBuilder<unknown>, frac: RawBuilder<unknown>) =>
    sql`(c.created + ((${seq} - 1) * 60 + c.span * ${frac}) * interval '1 second')`;
  const day = (ts: RawBuilder<unknown>) => sql`((${ts}) AT TIME ZONE ${sql.lit(TIME_ZONE)})::date`;
  /** The rating of a visit step: good visits mostly satisfied, bad ones dissatisfied, expired ones noAnswer. */
  const rating = (outcome: RawBuilder<unknown>, seq: RawBuilder<unknown>) =>
    sql`CASE ${outcome} WHEN 'good' THEN CASE WHEN ${u(sql`c.i * 16 + ${seq}`, 40)} < 0.85 THEN 'satisfied'
                                              ELSE 'partlySatisfied' END
                        WHEN 'bad' THEN 'dissatisfied' WHEN 'noAnswer' THEN 'noAnswer' END`;
  const solved = (outcome: RawBuilder<unknown>, seq: RawBuilder<unknown>) =>
    sql`CASE ${outcome} WHEN 'good' THEN ${u(sql`c.i * 16 + ${seq}`, 41)} < 0.95
                        WHEN 'bad' THEN ${u(sql`c.i * 16 + ${seq}`, 41)} < 0.15 END`;

  const result = await database.transaction(async (trx) => {
    // Room for the batch's sorts and hash aggregates in memory (this transaction only).
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
    // A bulk load: the rows reference each other consistently by construction (the test checks every foreign
    // key), so when allowed (a superuser: the bench, an embedded data directory) the per-row foreign-key checks,
    // most of the load's time, are skipped for this transaction. The constraints stay declared.
    const superuser = await sql<{ on: string }>`SELECT current_setting('is_superuser') AS on`.execute(trx);
    if (superuser.rows[0]?.on === 'on') await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    const hasStats = Boolean(
      (await sql<{ r: string | null }>`SELECT to_regclass('case_stats_daily')::text AS r`.execute(trx)).rows[0]?.r,
    );
    const hasBreakdown = Boolean(
      (await sql<{ r: string | null }>`SELECT to_regclass('case_stats_breakdown')::text AS r`.execute(trx)).rows[0]?.r,
    );

    // Grids with their community, district and the district's departments, and a Pareto weight (α = 1.16, "80/20").
    await sql`CREATE TEMP TABLE syn_grid (gi int PRIMARY KEY, id int, path text COLLATE "C", name text,
                community_id int, community_path text COLLATE "C", community_name text, district_id int,
                dept_ids int[], x0 float8, y0 float8, x1 float8, y1 float8, weight float8, worker_name text)
                ON COMMIT DROP`.execute(trx);
    const grids = await rowCount(
      trx,
      sql`INSERT INTO syn_grid
          SELECT gi, id, path, name, community_id, community_path, community_name, district_id, dept_ids,
                 (bb[1])[0], (bb[1])[1], (bb[0])[0], (bb[0])[1],
                 least(power(1 - ${u(sql`gi`, 1)} * 0.999, -1 / 1.16), 60), worker_name
          FROM (SELECT row_number() OVER (ORDER BY g.id)::int AS gi, g.id, g.path, g.name, c.id AS community_id,
                       -- The grid's own grid worker (often a Party member) signs the grid's steps.
                       (SELECT p.name FROM unit_posts up JOIN people p ON p.id = up.person_id
                        WHERE up.unit_id = g.id AND up.post = 'gridWorker' ORDER BY p.id LIMIT 1) AS worker_name,
                       c.path AS community_path, c.name AS community_name, box(b.outline) AS bb,
                       (SELECT d.id FROM units d WHERE d.kind = 'district' AND g.path LIKE d.path || '%'
                        ORDER BY d.depth DESC LIMIT 1) AS district_id,
                       (SELECT array_agg(x.id ORDER BY x.id) FROM units x
                        WHERE x.kind = 'department' AND x.active
                          AND g.path LIKE regexp_replace(x.path, '[0-9]+/$', '') || '%') AS dept_ids
                FROM units g
                JOIN grid_boundaries b ON b.unit_id = g.id
                JOIN units c ON c.id = g.parent_id
                WHERE g.kind = 'grid' AND g.active AND g.path LIKE ${rootLike}) x`,
    );
    if (grids === 0) throw new Error('no grid with a boundary to put cases in (load a territory first)');
    const noDepartments = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM syn_grid WHERE dept_ids IS NULL OR district_id IS NULL`.execute(trx);
    if (noDepartments.rows[0]?.n) throw new Error('every grid needs a district with departments above it');
    const gridSlots = Math.max(4096, grids * 32);
    await slotTable(trx, 'syn_grid_slot', sql`SELECT gi AS key, weight FROM syn_grid`, gridSlots);

    // Second-level categories, hot ones first, weight 1 / rank^1.1.
    let categories = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM case_categories WHERE parent_id IS NOT NULL AND active`.execute(trx);
    if (!categories.rows[0]?.n) {
      const parent = await trx
        .insertInto('case_categories')
        .values({ code: 'synthetic', name: '合成分类', name_en: 'Synthetic', keywords: [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [code, name, keywords] of FALLBACK_CATEGORIES) {
        await trx
          .insertInto('case_categories')
          .values({ parent_id: parent.id, code, name, name_en: code, keywords })
          .execute();
      }
      categories = { rows: [{ n: FALLBACK_CATEGORIES.length }] } as typeof categories;
    }
    const hot = sql`ARRAY[${sql.join(HOT_CATEGORIES.map((c) => sql.lit(c)))}]::text[]`;
    await sql`CREATE TEMP TABLE syn_cat (ci int PRIMARY KEY, id int, name text, keywords text[], search tsvector,
                weight float8) ON COMMIT DROP`.execute(trx);
    await sql`
      INSERT INTO syn_cat
      SELECT rn, id, name, CASE WHEN cardinality(keywords) > 0 THEN keywords ELSE ARRAY[name] END,
             setweight(array_to_tsvector(array_append(keywords, name)), 'A'), 1 / power(rn, 1.1)
      FROM (SELECT id, name, keywords,
                   row_number() OVER (ORDER BY coalesce(array_position(${hot}, code), 1000), id)::int AS rn
            FROM case_categories WHERE parent_id IS NOT NULL AND active) x`.execute(trx);
    await slotTable(trx, 'syn_cat_slot', sql`SELECT ci AS key, weight FROM syn_cat`, 4096);

    // Paths, their steps and assignments.
    const tables = pathTables();
    await sql`CREATE TEMP TABLE syn_path (path int PRIMARY KEY, name text, permille int, kind text, final_state text,
                n int, na int, owner_level text, has_lead boolean, supervised boolean, round int, resume_state text,
                limit_kind text, limit_seq int, limit_frac float8, limit_days float8,
                due_seq int, due_frac float8, due_days float8, resolve_seq int, resolve_frac float8,
                visit_seq int, visit_frac float8, visit_outcome text, last_frac float8) ON COMMIT DROP`.execute(trx);
    await sql`INSERT INTO syn_path VALUES ${tables.paths}`.execute(trx);
    await sql`CREATE TEMP TABLE syn_step (path int, seq int, action text, from_state text, to_state text,
                owner_level text, by_who text, frac float8, note text, resolver_level text, due_seq int,
                due_frac float8, due_days float8, outcome text, PRIMARY KEY (path, seq)) ON COMMIT DROP`.execute(trx);
    await sql`INSERT INTO syn_step VALUES ${tables.steps}`.execute(trx);
    await sql`CREATE TEMP TABLE syn_assign (path int, k int, seq int, frac float8, role text, level text, status text,
                responded_seq int, responded_frac float8, round int, PRIMARY KEY (path, k)) ON COMMIT DROP`.execute(
      trx,
    );
    await sql`INSERT INTO syn_assign VALUES ${tables.assignments}`.execute(trx);
    await slotTable(trx, 'syn_path_slot', sql`SELECT path AS key, permille::float8 AS weight FROM syn_path`, 1000);

    // Days 2..366 before `now` for closed cases: a summer peak, quieter weekends, a growing trend.
    const daySlots = 8192;
    await slotTable(
      trx,
      'syn_day_slot',
      sql`SELECT d AS key,
                 (1 + 0.25 * cos(2 * pi() * (extract(doy FROM dd) - 200) / 365.25))
                 * CASE WHEN extract(isodow FROM dd) >= 6 THEN 0.7 ELSE 1 END * (1 + 0.3 * (366 - d) / 365.0) AS weight
          FROM generate_series(2, 366) AS d
          CROSS JOIN LATERAL (SELECT (${now} AT TIME ZONE ${sql.lit(TIME_ZONE)})::date - d AS dd) x`,
      daySlots,
    );
    const hours = values(HOUR_WEIGHTS.map((w, h) => [h, w]));
    await slotTable(trx, 'syn_hour_slot', sql`SELECT h AS key, w AS weight FROM (VALUES ${hours}) v (h, w)`, 1000);

    // Every case's grid, category, path, creation time and span (the time its events take), drawn from its
    // number i; then numbered in order of creation, as real ids are (open cases sit at the end of the table).
    await sql`CREATE TEMP TABLE syn_all (i int PRIMARY KEY, gi int, ci int, path int, created timestamptz, span float8,
                dept_id int) ON COMMIT DROP`.execute(trx);
    const today = sql`date_trunc('day', ${now} AT TIME ZONE ${sql.lit(TIME_ZONE)})`;
    for (let lo = 0; lo < count; lo += batchSize) {
      const hi = Math.min(count, lo + batchSize);
      const i = sql`r.i`;
      await sql`
        INSERT INTO syn_all (i, gi, ci, path, created, span, dept_id)
        SELECT i, gi, ci, path, created,
               CASE WHEN kind = 'closed' THEN least(3600 + 864000 * u_span ^ 2, age - 1800)
                    ELSE greatest(age - u_span * least(0.5 * age, 172800) - 600, 0) END,
               dept_id
        FROM (SELECT *, extract(epoch FROM ${now} - created)::float8 AS age
              FROM (SELECT *, CASE WHEN created0 > ${now} - interval '30 minutes' THEN created0 - interval '1 day'
                                   ELSE created0 END AS created
                    FROM (SELECT r.i, gs.key AS gi, cs.key AS ci, p.path, p.kind, ${u(i, 8)} AS u_span,
                                 CASE WHEN p.has_lead THEN g.dept_ids[1 + floor(${u(i, 9)} * cardinality(g.dept_ids))::int]
                                 END AS dept_id,
                                 ((${today} - CASE p.kind WHEN 'closed' THEN ds.key
                                                          WHEN 'resolved' THEN floor(8 * ${u(i, 6)} ^ 2)::int
                                                          ELSE floor(46 * ${u(i, 6)} ^ 4)::int END * interval '1 day'
                                   + hs.key * interval '1 hour' + floor(${u(i, 7)} * 3600) * interval '1 second')
                                  AT TIME ZONE ${sql.lit(TIME_ZONE)}) AS created0
                          FROM generate_series(${sql.lit(firstIndex + lo)}::int, ${sql.lit(firstIndex + hi - 1)}::int)
                               AS r (i)
                          JOIN syn_grid_slot gs ON gs.slot = floor(${u(i, 1)} * ${sql.lit(gridSlots)})::int
                          JOIN syn_grid g ON g.gi = gs.key
                          JOIN syn_cat_slot cs ON cs.slot = floor(${u(i, 2)} * 4096)::int
                          JOIN syn_path_slot ps ON ps.slot = floor(${u(i, 3)} * 1000)::int
                          JOIN syn_path p ON p.path = ps.key
                          JOIN syn_day_slot ds ON ds.slot = floor(${u(i, 4)} * ${sql.lit(daySlots)})::int
                          JOIN syn_hour_slot hs ON hs.slot = floor(${u(i, 5)} * 1000)::int) a) b) c`.execute(trx);
    }
    await sql`CREATE TEMP TABLE syn_rank (k int PRIMARY KEY, i int) ON COMMIT DROP`.execute(trx);
    await sql`INSERT INTO syn_rank SELECT (row_number() OVER (ORDER BY created, i) - 1)::int, i FROM syn_all`.execute(
      trx,
    );
    await sql`ANALYZE syn_all`.execute(trx);
    await sql`ANALYZE syn_rank`.execute(trx);

    await sql`CREATE TEMP TABLE syn_case (i int PRIMARY KEY, id bigint, gi int, ci int, path int, created timestamptz,
                span float8, dept_id int, ev_base bigint, asg_base bigint) ON COMMIT DROP`.execute(trx);
    await sql`CREATE TEMP TABLE syn_ev (id bigint, case_id bigint, i int, seq int, action text, from_state text,
                to_state text, actor_unit_id int, actor_name text, owner_unit_id int, note text, data jsonb,
                created_at timestamptz, resolver_id int, in_time boolean, rating text, solved boolean) ON COMMIT DROP`.execute(
      trx,
    );

    const caseBase = (await nextId(trx, 'cases')) - 1;
    let eventOffset = (await nextId(trx, 'case_events')) - 1;
    let assignmentOffset = (await nextId(trx, 'case_assignments')) - 1;
    let events = 0;
    let assignments = 0;

    for (let lo = 0; lo < count; lo += batchSize) {
      const hi = Math.min(count, lo + batchSize);
      // The batch: cases lo..hi in order of creation, with where their events and assignments start.
      await sql`
        INSERT INTO syn_case (i, id, gi, ci, path, created, span, dept_id, ev_base, asg_base)
        SELECT a.i, ${sql.lit(caseBase)}::bigint + r.k + 1, a.gi, a.ci, a.path, a.created, a.span, a.dept_id,
               ${sql.lit(eventOffset)}::bigint + sum(p.n) OVER (ORDER BY r.k) - p.n,
               ${sql.lit(assignmentOffset)}::bigint + sum(p.na) OVER (ORDER BY r.k) - p.na
        FROM syn_rank r JOIN syn_all a ON a.i = r.i JOIN syn_path p ON p.path = a.path
        WHERE r.k >= ${sql.lit(lo)}::int AND r.k < ${sql.lit(hi)}::int`.execute(trx);
      await sql`ANALYZE syn_case`.execute(trx);

      // The case rows, derived from their path: the state and owner of the last step, the limits now running.
      await sql`
        INSERT INTO cases (id, number, case_type, category_id, urgency, channel, title, description, lng, lat, location,
                           address, grid_id, territory_unit_id, territory_path, reporter_name, reporter_phone,
                           confidential, state, owner_unit_id, owner_unit_path, lead_unit_id, resume_state, round,
                           supervised, colour, limit_kind, limit_started_at, orange_at, due_at, resolution_due_at,
                           next_colour_at, visit_due_at, visit_invited_at, rating, solved, visited_at, search,
                           event_count, version, created_at, updated_at, dispatched_at, resolved_at, closed_at)
        SELECT id, ${sql.lit(`${prefix}-`)} || extract(year FROM created AT TIME ZONE ${sql.lit(TIME_ZONE)}) || '-'
                   || lpad(id::text, greatest(7, length(id::text)), '0'),
               'appeal', cat_id, urgency, channel, title, description, lng, lat, point(lng, lat), address,
               grid_id, grid_id, grid_path, reporter_name, reporter_phone, confidential, final_state,
               owner_id, owner_path, lead_id, resume_state, round, supervised,
               CASE WHEN open THEN CASE WHEN supervised OR due_at <= ${now} THEN 'red'
                                        WHEN orange_at <= ${now} THEN 'orange' ELSE 'green' END
                    WHEN supervised OR resolved_at > rdue THEN 'red'
                    WHEN resolved_at >= rorange THEN 'orange' ELSE 'green' END,
               limit_kind, limit_start, orange_at, due_at, rdue,
               CASE WHEN open AND NOT supervised AND due_at > ${now}
                    THEN CASE WHEN orange_at <= ${now} THEN due_at ELSE orange_at END END,
               CASE WHEN resolved_at IS NOT NULL
                    THEN least(resolved_at + interval '3 days', coalesce(visited_at, 'infinity')) END,
               CASE WHEN resolved_at IS NOT NULL THEN least(resolved_at + interval '1 minute', ${now}) END,
               rating, solved, visited_at, search, n, n, created, last_at, dispatched_at, resolved_at,
               CASE WHEN kind = 'closed' THEN last_at END
        FROM (SELECT c.id, c.created, p.kind, p.kind = 'open' AS open, p.final_state, p.n, p.resume_state, p.round,
                     p.supervised, p.limit_kind, cat.id AS cat_id, cat.search, g.id AS grid_id, g.path AS grid_path,
                     CASE WHEN ${u(ci, 20)} < 0.93 THEN 'normal' WHEN ${u(ci, 20)} < 0.99 THEN 'urgent'
                          ELSE 'critical' END AS urgency,
                     CASE WHEN ${u(ci, 21)} < 0.8 THEN 'hotline' ELSE 'call' END AS channel,
                     cat.name || '：' || kw AS title,
                     '居民反映' || g.name || '附近' || kw || '，希望尽快处理。' AS description,
                     round((g.x0 + (g.x1 - g.x0) * (0.2 + 0.6 * ${u(ci, 29)}))::numeric, 6)::float8 AS lng,
                     round((g.y0 + (g.y1 - g.y0) * (0.2 + 0.6 * ${u(ci, 30)}))::numeric, 6)::float8 AS lat,
                     g.name || (1 + floor(${u(ci, 28)} * 80))::int || '号附近' AS address,
                     substr(${sql.lit(SURNAMES)}, 1 + floor(${u(ci, 23)} ^ 2 * ${sql.lit(SURNAMES.length)})::int, 1)
                       || CASE WHEN ${u(ci, 24)} < 0.5 THEN '先生' ELSE '女士' END AS reporter_name,
                     '1' || (ARRAY['38','39','50','51','58','86','87','88','35','36','37','52','89','80','81','82'])
                              [1 + floor(${u(ci, 25)} * 16)::int]
                         || lpad(floor(${u(ci, 26)} * 100000000)::bigint::text, 8, '0') AS reporter_phone,
                     ${u(ci, 22)} < 0.03 AS confidential,
                     CASE p.owner_level WHEN 'grid' THEN g.id ELSE g.community_id END AS owner_id,
                     CASE p.owner_level WHEN 'grid' THEN g.path ELSE g.community_path END AS owner_path,
                     c.dept_id AS lead_id,
                     ${at(sql`p.limit_seq`, sql`p.limit_frac`)} AS limit_start,
                     ${at(sql`p.limit_seq`, sql`p.limit_frac`)} + p.limit_days * interval '1 day' AS due_at,
                     ${at(sql`p.limit_seq`, sql`p.limit_frac`)} + 0.8 * p.limit_days * interval '1 day' AS orange_at,
                     ${at(sql`p.due_seq`, sql`p.due_frac`)} + p.due_days * interval '1 day' AS rdue,
                     ${at(sql`p.due_seq`, sql`p.due_frac`)} + 0.8 * p.due_days * interval '1 day' AS rorange,
                     ${at(sql`p.resolve_seq`, sql`p.resolve_frac`)} AS resolved_at,
                     ${at(sql`p.visit_seq`, sql`p.visit_frac`)} AS visited_at,
                     ${rating(sql`p.visit_outcome`, sql`p.visit_seq`)} AS rating,
                     ${solved(sql`p.visit_outcome`, sql`p.visit_seq`)} AS solved,
                     ${at(sql`p.n`, sql`p.last_frac`)} AS last_at,
                     ${at(sql`2`, sql`0`)} AS dispatched_at
              FROM syn_case c
              JOIN syn_path p ON p.path = c.path
              JOIN syn_grid g ON g.gi = c.gi
              JOIN syn_cat cat ON cat.ci = c.ci
              CROSS JOIN LATERAL (SELECT cat.keywords[1 + floor(${u(ci, 27)} * cardinality(cat.keywords))::int] AS kw) k
             ) x`.execute(trx);

      // The events of each case, one per step of its path, with what the statistics need.
      await sql`
        INSERT INTO syn_ev
        SELECT c.ev_base + s.seq, c.id, c.i, s.seq, s.action, s.from_state, s.to_state,
               CASE s.by_who WHEN 'operator' THEN g.district_id WHEN 'supervisor' THEN g.district_id
                             WHEN 'grid' THEN g.id WHEN 'community' THEN g.community_id WHEN 'dept' THEN c.dept_id END,
               CASE s.by_who WHEN 'operator' THEN '12345热线' WHEN 'supervisor' THEN '区督查室'
                             WHEN 'grid' THEN coalesce(g.worker_name, '网格员')
                             WHEN 'community' THEN '社区工作人员' WHEN 'dept' THEN d.name ELSE '系统' END,
               CASE s.owner_level WHEN 'grid' THEN g.id ELSE g.community_id END,
               s.note,
               CASE s.action
                 WHEN 'intake' THEN jsonb_build_object('channel', 'hotline',
                                      'territory', jsonb_build_object('id', g.id, 'name', g.name))
                 WHEN 'classify' THEN jsonb_build_object('category', jsonb_build_object('id', cat.id, 'name', cat.name),
                                      'to', jsonb_build_object('id', g.id, 'name', g.name, 'kind', 'grid'))
                 WHEN 'escalate' THEN jsonb_build_object('to', jsonb_build_object('id', g.community_id,
                                      'name', g.community_name, 'kind', 'community'))
                 WHEN 'whistle' THEN jsonb_build_object('lead', jsonb_build_object('id', d.id, 'name', d.name),
                                     'assists', '[]'::jsonb)
                 WHEN 'checkIn' THEN jsonb_build_object('unit', jsonb_build_object('id', d.id, 'name', d.name),
                                     'inTime', t <= due)
                 WHEN 'selfResolve' THEN jsonb_build_object('resolver', jsonb_build_object('id', resolver_id), 'inTime', t <= due)
                 WHEN 'resolve' THEN jsonb_build_object('resolver', jsonb_build_object('id', resolver_id), 'inTime', t <= due)
                 WHEN 'visit' THEN jsonb_build_object('rating', rating, 'solved', solved, 'by', 'phone')
                                   || CASE WHEN s.to_state = 'supervisionReview' THEN '{"toSupervision": true}'::jsonb
                                           WHEN s.outcome = 'bad' THEN '{"reopened": true}'::jsonb ELSE '{}'::jsonb END
                 WHEN 'expireVisit' THEN jsonb_build_object('rating', 'noAnswer')
                 ELSE '{}'::jsonb END,
               t, resolver_id, CASE WHEN s.resolver_level IS NOT NULL AND s.outcome IS NULL THEN t <= due END, rating,
               solved
        FROM syn_case c
        JOIN syn_step s ON s.path = c.path
        JOIN syn_grid g ON g.gi = c.gi
        JOIN syn_cat cat ON cat.ci = c.ci
        LEFT JOIN units d ON d.id = c.dept_id
        CROSS JOIN LATERAL (SELECT ${at(sql`s.seq`, sql`s.frac`)} AS t,
                                   ${at(sql`s.due_seq`, sql`s.due_frac`)} + s.due_days * interval '1 day' AS due,
                                   CASE s.resolver_level WHEN 'grid' THEN g.id WHEN 'community' THEN g.community_id
                                                         WHEN 'dept' THEN c.dept_id END AS resolver_id,
                                   ${rating(sql`s.outcome`, sql`s.seq`)} AS rating,
                                   ${solved(sql`s.outcome`, sql`s.seq`)} AS solved) e`.execute(trx);
      const batchEvents = await rowCount(
        trx,
        sql`INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, actor_account_id, actor_unit_id,
                                     actor_name, owner_unit_id, note, data, created_at)
            SELECT id, case_id, seq, action, from_state, to_state, NULL, actor_unit_id, actor_name, owner_unit_id, note,
                   data, created_at
            FROM syn_ev ORDER BY id`,
      );

      // The assignments each path gives: respond within a day; a lead department's deadline 5 days after the whistle.
      const batchAssignments = await rowCount(
        trx,
        sql`INSERT INTO case_assignments (id, case_id, unit_id, unit_path, role, status, round, assigned_at,
                                          response_due_at, responded_at, responded_in_time, deadline, event_id)
            SELECT c.asg_base + a.k, c.id, u.id, u.path, a.role, a.status, a.round, assigned_at,
                   assigned_at + interval '1 day', responded_at, responded_at <= assigned_at + interval '1 day',
                   CASE WHEN a.role = 'lead' THEN assigned_at + interval '5 days' END, c.ev_base + a.seq
            FROM syn_case c
            JOIN syn_assign a ON a.path = c.path
            JOIN syn_grid g ON g.gi = c.gi
            JOIN units u ON u.id = CASE a.level WHEN 'grid' THEN g.id WHEN 'community' THEN g.community_id
                                                ELSE c.dept_id END
            CROSS JOIN LATERAL (SELECT ${at(sql`a.seq`, sql`a.frac`)} AS assigned_at,
                                       ${at(sql`a.responded_seq`, sql`a.responded_frac`)} AS responded_at) t
            ORDER BY 1`,
      );

      // The rollups: what metrics/case-stats.ts would have added for these events, one upsert per touched row.
      if (hasStats) {
        await sql`
          INSERT INTO case_stats_daily AS s (unit_id, unit_path, day, case_type, dimension, received, assigned, responded,
                                             responded_in_time, resolved, resolved_in_time, visited, solved, satisfied,
                                             partly_satisfied, dissatisfied, no_answer, closed)
          SELECT unit_id, min(unit_path), day, 'appeal', dimension, sum(received), sum(assigned), sum(responded),
                 sum(responded_in_time), sum(resolved), sum(resolved_in_time), sum(visited), sum(solved),
                 sum(satisfied), sum(partly_satisfied), sum(dissatisfied), sum(no_answer), sum(closed)
          FROM (
            SELECT g.id AS unit_id, g.path AS unit_path, ${day(sql`e.created_at`)} AS day, 'territory' AS dimension,
                   (e.action = 'intake')::int AS received, 0 AS assigned, 0 AS responded, 0 AS responded_in_time,
                   (e.in_time IS NOT NULL)::int AS resolved, coalesce(e.in_time, false)::int AS resolved_in_time,
                   (e.rating IS NOT NULL)::int AS visited, coalesce(e.solved AND e.rating <> 'noAnswer', false)::int AS solved,
                   (e.rating IS NOT DISTINCT FROM 'satisfied')::int AS satisfied, (e.rating IS NOT DISTINCT FROM 'partlySatisfied')::int AS partly_satisfied,
                   (e.rating IS NOT DISTINCT FROM 'dissatisfied')::int AS dissatisfied, (e.rating IS NOT DISTINCT FROM 'noAnswer')::int AS no_answer,
                   (e.to_state = 'closed')::int AS closed
            FROM syn_ev e JOIN syn_case c ON c.i = e.i JOIN syn_grid g ON g.gi = c.gi
            WHERE e.action = 'intake' OR e.in_time IS NOT NULL OR e.rating IS NOT NULL OR e.to_state = 'closed'
            UNION ALL
            SELECT r.id, r.path, ${day(sql`e.created_at`)}, 'handler', 0, 0, 0, 0,
                   (e.in_time IS NOT NULL)::int, coalesce(e.in_time, false)::int,
                   (e.rating IS NOT NULL)::int, coalesce(e.solved AND e.rating <> 'noAnswer', false)::int,
                   (e.rating IS NOT DISTINCT FROM 'satisfied')::int, (e.rating IS NOT DISTINCT FROM 'partlySatisfied')::int,
                   (e.rating IS NOT DISTINCT FROM 'dissatisfied')::int, (e.rating IS NOT DISTINCT FROM 'noAnswer')::int, 0
            FROM syn_ev e JOIN units r ON r.id = e.resolver_id
            WHERE e.in_time IS NOT NULL OR e.rating IS NOT NULL
            UNION ALL
            SELECT x.unit_id, x.unit_path, ${day(sql`a.assigned_at`)}, x.dimension, 0, 1,
                   (a.responded_at IS NOT NULL)::int, coalesce(a.responded_in_time, false)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM case_assignments a
            JOIN syn_case c ON c.id = a.case_id
            JOIN syn_grid g ON g.gi = c.gi
            CROSS JOIN LATERAL (VALUES (g.id, g.path, 'territory'), (a.unit_id, a.unit_path, 'handler'))
                               AS x (unit_id, unit_path, dimension)
            WHERE a.id > ${sql.lit(assignmentOffset)}::bigint AND a.id <= ${sql.lit(assignmentOffset + batchAssignments)}::bigint
          ) atoms
          GROUP BY unit_id, day, dimension
          ON CONFLICT (unit_id, day, case_type, dimension) DO UPDATE SET
            received = s.received + excluded.received, assigned = s.assigned + excluded.assigned,
            responded = s.responded + excluded.responded,
            responded_in_time = s.responded_in_time + excluded.responded_in_time,
            resolved = s.resolved + excluded.resolved, resolved_in_time = s.resolved_in_time + excluded.resolved_in_time,
            visited = s.visited + excluded.visited, solved = s.solved + excluded.solved,
            satisfied = s.satisfied + excluded.satisfied, partly_satisfied = s.partly_satisfied + excluded.partly_satisfied,
            dissatisfied = s.dissatisfied + excluded.dissatisfied, no_answer = s.no_answer + excluded.no_answer,
            closed = s.closed + excluded.closed`.execute(trx);
      }

      // The monthly breakdown by top-level category and channel: one intake (+1) per case, already classified.
      if (hasBreakdown) {
        await sql`
          INSERT INTO case_stats_breakdown AS b (unit_id, unit_path, month, case_type, category_id, channel, received)
          SELECT c.territory_unit_id, min(c.territory_path),
                 date_trunc('month', c.created_at AT TIME ZONE ${sql.lit(TIME_ZONE)})::date, c.case_type,
                 coalesce(cat.parent_id, cat.id, 0), c.channel, count(*)
          FROM syn_case s
          JOIN cases c ON c.id = s.id
          LEFT JOIN case_categories cat ON cat.id = c.category_id
          GROUP BY 1, 3, 4, 5, 6
          ON CONFLICT (unit_id, month, case_type, category_id, channel) DO UPDATE SET
            received = b.received + excluded.received`.execute(trx);
      }

      events += batchEvents;
      assignments += batchAssignments;
      eventOffset += batchEvents;
      assignmentOffset += batchAssignments;
      await sql`TRUNCATE syn_case, syn_ev`.execute(trx);
      options.onProgress?.(hi, count);
    }

    await syncSequence(trx, 'cases');
    await syncSequence(trx, 'case_events');
    await syncSequence(trx, 'case_assignments');
    const statsRows = hasStats
      ? Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_stats_daily`.execute(trx)).rows[0]?.n ?? 0)
      : null;
    const busiest = await sql<{ id: number }>`
      SELECT grid_id AS id FROM cases WHERE id > ${sql.lit(caseBase)}::bigint
      GROUP BY grid_id ORDER BY count(*) DESC, grid_id LIMIT 1`.execute(trx);
    return {
      cases: count,
      events,
      assignments,
      statsRows,
      busiestGridId: busiest.rows[0]!.id,
      hasStats,
      hasBreakdown,
    };
  });
  if (options.vacuum ?? true) await vacuumCaseTables(database);
  const { hasStats: _, hasBreakdown: __, ...counts } = result;
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}

/**
 * As autovacuum would on a live server (PGlite has none): the visibility map for index-only scans, and the
 * planner's statistics, for the tables the generator writes.
 */
export async function vacuumCaseTables(database: Database): Promise<void> {
  const present = await sql<{ t: string }>`
    SELECT t FROM unnest(ARRAY['cases', 'case_events', 'case_assignments', 'case_stats_daily', 'case_stats_breakdown'])
                  AS t WHERE to_regclass(t) IS NOT NULL`.execute(database.db);
  await sql`VACUUM (ANALYZE) ${sql.join(present.rows.map((r) => sql.table(r.t)))}`.execute(database.db);
}
