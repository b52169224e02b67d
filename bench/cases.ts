import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../src/server/access/actor.ts';
import type { Database } from '../src/server/db/database.ts';
import type { Random } from '../src/server/demo/random.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { generateCases, vacuumCaseTables } from '../src/server/demo/synthetic-cases.ts';
import { withoutSecondaryIndexes } from '../src/server/demo/synthetic-sql.ts';

const CASE_TABLES = ['cases', 'case_events', 'case_assignments'];

import { loadGrants } from '../src/server/modules/auth/session.service.ts';
import { WorkCalendar } from '../src/server/modules/calendar/working-time.ts';
import { listCasesQuery } from '../src/server/modules/cases/cases.schema.ts';
import { listCases } from '../src/server/modules/cases/cases.service.ts';
import { threeRatesQuery } from '../src/server/modules/metrics/metrics.schema.ts';
import { threeRates, today } from '../src/server/modules/metrics/metrics.service.ts';
import { type ReadsSetup, type ReadWorkload, readsSetup } from './reads.ts';
import { CASE_CHUNK } from './sizes.ts';

/** A grid's bounding box, and a second-level category, to make up intake requests from. */
export interface IntakeTargets {
  grids: Array<{ id: number; x0: number; y0: number; x1: number; y1: number }>;
  categories: Array<{ id: number; name: string; keywords: string[] }>;
}

/** The statements one API request runs against the database, compiled from the app's own code. */
export interface QuerySet {
  /** Run together (Promise.all, as the service does) or one after the other. */
  parallel: boolean;
  queries: Array<{ sql: string; parameters: readonly unknown[] }>;
  /** Sizes of consecutive rounds, each sent in parallel, one round after the other (overrides `parallel`). */
  groups?: number[];
}

export interface CaseSetup {
  cases: number;
  events: number;
  assignments: number;
  statsRows: number | null;
  loadSeconds: number;
  districtId: number;
  busiestGridId: number;
  /** The hotline operator, as the raw intake writes them into events. */
  operator: { accountId: number; unitId: number; displayName: string; scopePath: string };
  logins: SyntheticLogin[];
  intake: IntakeTargets;
  /** Raw SQL of the worklist and three-rates requests, by scenario name. */
  queries: Record<string, QuerySet>;
  /** Query strings of the HTTP scenarios (the same requests the raw SQL was captured from). */
  paths: Record<string, string>;
  /** The read workloads' scenarios and SQL (case-detail, search, dashboard, rankings: bench/reads.ts). */
  reads?: ReadsSetup;
}

/**
 * Records the queries a Kysely instance executes, to replay the exact SQL without the app around it. Kysely
 * also passes subqueries through `transformQuery` (when they are built into the outer query), so only nodes
 * whose query id comes back through `transformResult` (executed) are kept.
 */
class CapturePlugin implements KyselyPlugin {
  readonly #nodes: Array<{ queryId: unknown; node: RootOperationNode }> = [];
  readonly #executed = new Set<unknown>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#nodes.push({ queryId: args.queryId, node: args.node });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.#executed.add(args.queryId);
    return args.result;
  }
  executed(): RootOperationNode[] {
    return this.#nodes.filter((n) => this.#executed.has(n.queryId)).map((n) => n.node);
  }
}

async function capture(database: Database, run: (db: Database['db']) => Promise<unknown>, parallel: boolean) {
  const plugin = new CapturePlugin();
  await run(database.db.withPlugin(plugin));
  const executor = database.db.getExecutor();
  const queries = plugin.executed().map((node) => {
    const compiled = executor.compileQuery(node, { queryId: 'bench' });
    return { sql: compiled.sql, parameters: compiled.parameters };
  });
  return { parallel, queries } satisfies QuerySet;
}

async function actorOf(database: Database, username: string): Promise<Actor> {
  const account = await database.db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    accountId: account.id,
    kind: 'staff',
    personId: null,
    displayName: account.display_name,
    username,
    grants: await loadGrants(database.db, account.id),
    sessionId: 'bench',
    csrfToken: 'bench',
    mustChangePassword: false,
  };
}

/**
 * The accounts the case workloads sign in as (password: the demo password): a hotline operator taking calls
 * for the whole territory (12345 is the city's line: intake lands in any grid), a district supervisor, a grid worker of the grid with the most cases, and a leader
 * of the district (case.read and metrics.read: the dashboard's reader, for the page-load workload).
 */
async function createCaseLogins(
  database: Database,
  rootId: number,
  districtId: number,
  gridId: number,
  passwordHash: string,
) {
  const wanted: Array<[string, string, number]> = [
    ['hotline.operator', 'hotlineOperator', rootId],
    ['district.supervisor', 'supervisor', districtId],
    ['busy.grid.worker', 'gridWorker', gridId],
    ['district.leader', 'leader', districtId],
  ];
  return database.transaction(async (trx) => {
    const logins: SyntheticLogin[] = [];
    for (const [username, role, unitId] of wanted) {
      const unit = await trx.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirstOrThrow();
      const roleRow = await trx.selectFrom('roles').select('id').where('code', '=', role).executeTakeFirstOrThrow();
      const account = await trx
        .insertInto('accounts')
        .values({ kind: 'staff', username, display_name: `${unit.name}·${username}`, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('role_grants')
        .values({ account_id: account.id, role_id: roleRow.id, unit_id: unitId })
        .execute();
      logins.push({ username, role, unitId, unitName: unit.name });
    }
    return logins;
  });
}

/** A chunked load's committed part: cases drawn so far (the next chunk's first index) and their rows. */
export interface LoadProgress {
  done: number;
  events: number;
  assignments: number;
  /** The moment the load's year ends at (every chunk uses the same). */
  now: string;
}

/** What the generator loaded (kept with a `--keep` database, so that a later run can reuse it). */
export interface GeneratedCases {
  cases: number;
  events: number;
  assignments: number;
  statsRows: number | null;
  loadSeconds: number;
  busiestGridId: number;
}

/**
 * Loads `count` synthetic cases over the territory (src/server/demo/synthetic-cases.ts) in chunks of
 * CASE_CHUNK, each its own transaction (the same cases one call would draw), vacuums once at the end, and adds
 * the case workloads' accounts.
 */
export async function loadCases(
  database: Database,
  rootPath: string,
  count: number,
  passwordHash: string,
  options: {
    onProgress?: ((done: number, total: number) => void) | undefined;
    /** Continue a load cut short after its committed chunks. */
    resume?: LoadProgress | undefined;
    /** Called after each committed chunk. */
    onChunk?: ((progress: LoadProgress) => Promise<void>) | undefined;
  } = {},
): Promise<{ generated: GeneratedCases; logins: SyntheticLogin[] }> {
  const started = performance.now();
  const resume = options.resume;
  const totals = { cases: resume?.done ?? 0, events: resume?.events ?? 0, assignments: resume?.assignments ?? 0 };
  let last = null as Awaited<ReturnType<typeof generateCases>> | null;
  // One moment for every chunk: the chunks together are one year ending now.
  const now = resume ? new Date(resume.now) : new Date();
  const chunks = async () => {
    for (let first = totals.cases; first < count; first += CASE_CHUNK) {
      const chunk = Math.min(CASE_CHUNK, count - first);
      last = await generateCases(database, {
        count: chunk,
        seed: 1,
        now,
        firstIndex: first,
        vacuum: false,
        onProgress: options.onProgress ? (done) => options.onProgress?.(first + done, count) : undefined,
      });
      totals.cases += last.cases;
      totals.events += last.events;
      totals.assignments += last.assignments;
      await options.onChunk?.({ ...totals, done: totals.cases, now: now.toISOString() });
    }
  };
  // More than one chunk: load without the secondary indexes and build each once at the end.
  if (count - totals.cases > CASE_CHUNK) await withoutSecondaryIndexes(database, CASE_TABLES, chunks);
  else await chunks();
  await vacuumCaseTables(database);
  // (A resumed load whose chunks were all committed draws nothing more: its figures come from the tables.)
  const busiestGridId =
    last?.busiestGridId ??
    Number(
      (
        await sql<{
          id: number;
        }>`SELECT grid_id AS id FROM cases GROUP BY grid_id ORDER BY count(*) DESC LIMIT 1`.execute(database.db)
      ).rows[0]?.id,
    );
  const statsRows =
    last?.statsRows ??
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_stats_daily`.execute(database.db)).rows[0]?.n);
  const district = await firstDistrict(database, rootPath);
  const root = await database.db
    .selectFrom('units')
    .select('id')
    .where('path', '=', rootPath)
    .executeTakeFirstOrThrow();
  const logins = await createCaseLogins(database, root.id, district, busiestGridId, passwordHash);
  return {
    generated: {
      cases: totals.cases,
      events: totals.events,
      assignments: totals.assignments,
      statsRows,
      busiestGridId,
      loadSeconds: (performance.now() - started) / 1000,
    },
    logins,
  };
}

async function firstDistrict(database: Database, rootPath: string): Promise<number> {
  const district = await database.db
    .selectFrom('units')
    .select('id')
    .where('kind', '=', 'district')
    .where('path', 'like', `${rootPath}%`)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return district.id;
}

/**
 * What the case workloads need from a loaded database: the intake targets, and the SQL the read requests
 * run, captured by calling each service once through a Kysely instance that records what it compiles (so a
 * reused `--keep` database gets statements for today's dates).
 */
export async function caseSetup(
  database: Database,
  rootPath: string,
  generated: GeneratedCases,
  logins: SyntheticLogin[],
  /** The read workloads to capture requests and SQL for (bench/reads.ts; none when absent). */
  readWorkloads: readonly ReadWorkload[] = [],
): Promise<CaseSetup> {
  const district = { id: await firstDistrict(database, rootPath) };
  const { rows: grids } = await sql<IntakeTargets['grids'][number]>`
    SELECT id, (bb[1])[0] AS x0, (bb[1])[1] AS y0, (bb[0])[0] AS x1, (bb[0])[1] AS y1
    FROM (SELECT u.id, box(b.outline) AS bb FROM units u JOIN grid_boundaries b ON b.unit_id = u.id
          WHERE u.kind = 'grid' AND u.active AND u.path LIKE ${`${rootPath}%`}) g
    ORDER BY id`.execute(database.db);
  const categories = await database.db
    .selectFrom('case_categories')
    .select(['id', 'name', 'keywords'])
    .where('parent_id', 'is not', null)
    .where('active', '=', true)
    .orderBy('id')
    .execute();

  const now = new Date();
  const operator = await actorOf(database, 'hotline.operator');
  const worker = await actorOf(database, 'busy.grid.worker');
  const supervisor = await actorOf(database, 'district.supervisor');
  const paths: Record<string, string> = {
    'worklist:toHandle': '/api/cases?worklist=toHandle&pageSize=20',
    'worklist:overdue': '/api/cases?worklist=overdue&pageSize=20',
    'three-rates:year': `/api/metrics/three-rates?unitId=${district.id}&period=year&date=${today(now)}`,
    'three-rates:month': `/api/metrics/three-rates?unitId=${district.id}&period=month&date=${today(now)}`,
  };
  const settings = { partlySatisfiedWeight: 0.8, rankingMinVolume: 10 };
  // The raw SQL is captured, not timed here: any calendar gives the same statements.
  const at = { now, calendar: new WorkCalendar() };
  const query = (path: string) => Object.fromEntries(new URL(path, 'http://bench').searchParams);
  const queries: Record<string, QuerySet> = {
    'worklist:toHandle': await capture(
      database,
      (db) => listCases(db, worker, listCasesQuery.parse(query(paths['worklist:toHandle']!)), at),
      true,
    ),
    'worklist:overdue': await capture(
      database,
      (db) => listCases(db, supervisor, listCasesQuery.parse(query(paths['worklist:overdue']!)), at),
      true,
    ),
    'three-rates:year': await capture(
      database,
      (db) => threeRates(db, supervisor, settings, threeRatesQuery.parse(query(paths['three-rates:year']!)), now),
      false,
    ),
    'three-rates:month': await capture(
      database,
      (db) => threeRates(db, supervisor, settings, threeRatesQuery.parse(query(paths['three-rates:month']!)), now),
      false,
    ),
  };
  return {
    cases: generated.cases,
    events: generated.events,
    assignments: generated.assignments,
    statsRows: generated.statsRows,
    loadSeconds: generated.loadSeconds,
    districtId: district.id,
    busiestGridId: generated.busiestGridId,
    operator: {
      accountId: operator.accountId,
      unitId: operator.grants[0]!.unitId,
      displayName: operator.displayName,
      scopePath: operator.grants[0]!.unitPath,
    },
    logins,
    intake: { grids, categories },
    queries,
    paths,
    ...(readWorkloads.length
      ? {
          reads: await readsSetup(database, district.id, categories, readWorkloads, {
            worker,
            supervisor,
            leader: await actorOf(database, 'district.leader'),
          }),
        }
      : {}),
  };
}

/** What one intake request says: a category and a point inside a grid, as a hotline operator records it. */
export interface IntakeInput {
  gridId: number;
  categoryId: number;
  title: string;
  description: string;
  lng: number;
  lat: number;
  reporter: { name: string; phone: string };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** The next intake of a seeded sequence: the HTTP and the raw workload draw the same sequence of cases. */
export function nextIntake(random: Random, targets: IntakeTargets): IntakeInput {
  const grid = random.pick(targets.grids);
  const category = random.pick(targets.categories);
  const keyword = category.keywords.length ? random.pick(category.keywords) : category.name;
  return {
    gridId: grid.id,
    categoryId: category.id,
    title: `${category.name}：${keyword}`,
    description: `居民反映小区附近${keyword}，已经好几天了，希望尽快处理。`,
    lng: round6(grid.x0 + (grid.x1 - grid.x0) * (0.2 + 0.6 * random.next())),
    lat: round6(grid.y0 + (grid.y1 - grid.y0) * (0.2 + 0.6 * random.next())),
    reporter: {
      name: random.pick(['王先生', '李女士', '张先生', '刘女士']),
      phone: `138${random.int(10_000_000, 99_999_999)}`,
    },
  };
}

/** The body of `POST /api/cases` for an intake. */
export function intakeBody(input: IntakeInput) {
  return {
    caseType: 'appeal',
    channel: 'hotline',
    title: input.title,
    description: input.description,
    categoryId: input.categoryId,
    urgency: 'normal',
    location: { lng: input.lng, lat: input.lat },
    reporter: input.reporter,
  };
}
