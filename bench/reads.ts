import type autocannon from 'autocannon';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Actor } from '../src/server/access/actor.ts';
import type { Database } from '../src/server/db/database.ts';
import { Random } from '../src/server/demo/random.ts';
import { WorkCalendar } from '../src/server/modules/calendar/working-time.ts';
import { caseCondition } from '../src/server/modules/cases/cases.access.ts';
import { listCasesQuery } from '../src/server/modules/cases/cases.schema.ts';
import { caseDetail, listCases } from '../src/server/modules/cases/cases.service.ts';
import { overview } from '../src/server/modules/metrics/metrics.overview.ts';
import { overviewQuery, rankingsQuery } from '../src/server/modules/metrics/metrics.schema.ts';
import { rankings, today } from '../src/server/modules/metrics/metrics.service.ts';
import { searchQueryText } from '../src/server/modules/search/segment.ts';
import type { IntakeTargets, QuerySet } from './cases.ts';

/**
 * The read workloads `case-detail`, `search`, `dashboard` and `rankings`: the requests (HTTP scenarios) and the
 * SQL the app's services run for them (raw scenarios), captured by calling the services once through a Kysely
 * instance that records what it executes, as bench/cases.ts does for the worklists and three-rates.
 *
 * A scenario either repeats one request (`paths[key]`, `queries[key]`) or rotates over many (`rotations[key]`:
 * case ids, search words): each HTTP request takes the next path, each raw iteration the next captured set.
 */

export const READ_WORKLOADS = ['case-detail', 'search', 'dashboard', 'rankings'] as const;
export type ReadWorkload = (typeof READ_WORKLOADS)[number];

/** Scenario keys (without `:single` / `:sql`), for the report's API-vs-SQL comparison lines. */
export const READ_KEYS: Record<ReadWorkload, readonly string[]> = {
  'case-detail': ['case-detail:grid', 'case-detail:district'],
  search: ['search:district'],
  dashboard: ['dashboard:overview:month', 'dashboard:overview:year'],
  rankings: ['rankings:month', 'rankings:year', 'rankings:grid:year'],
};

/** One scenario of a read workload. */
export interface ReadScenario {
  key: string;
  workload: ReadWorkload;
  /** The bench account (username) the requests are made as, and how the report names it. */
  username: string;
  who: string;
  what: string;
  /** The request paths, rotated (one path: the same request every time). */
  paths: string[];
  /** The SQL of (a sample of) those requests, rotated on the raw side. */
  sets: QuerySet[];
}

export interface ReadsSetup {
  scenarios: ReadScenario[];
}

/** How many different case ids `case-detail` rotates over per account, and how many of them the raw side replays. */
const DETAIL_IDS = 500;
const DETAIL_SETS = 60;
/**
 * How many search queries `search` rotates over, and how many of them the raw side replays (capturing runs each
 * once: a frequent word ranks every matching case of the district, seconds at 20 million cases).
 */
const SEARCH_QUERIES = 200;
const SEARCH_SETS = 24;

/**
 * Records the executed queries, and which of them ran together: a query that starts before every earlier one
 * has finished is in the same parallel group (the service's `Promise.all`); one that starts after all of them
 * have finished opens a new group. Subqueries pass through `transformQuery` too but never come back through
 * `transformResult`, so only executed queries are kept.
 */
class GroupingCapturePlugin implements KyselyPlugin {
  #clock = 0;
  readonly #started = new Map<unknown, { at: number; node: RootOperationNode }>();
  readonly #finished = new Map<unknown, number>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#started.set(args.queryId, { at: this.#clock++, node: args.node });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.#finished.set(args.queryId, this.#clock++);
    return args.result;
  }
  executed(): { nodes: RootOperationNode[]; groups: number[] } {
    const runs = [...this.#started]
      .filter(([id]) => this.#finished.has(id))
      .map(([id, s]) => ({ start: s.at, end: this.#finished.get(id) as number, node: s.node }))
      .sort((a, b) => a.start - b.start);
    const groups: number[] = [];
    let lastEnd = -1;
    for (const run of runs) {
      if (run.start > lastEnd || groups.length === 0) groups.push(1);
      else groups[groups.length - 1] = (groups[groups.length - 1] as number) + 1;
      lastEnd = Math.max(lastEnd, run.end);
    }
    return { nodes: runs.map((r) => r.node), groups };
  }
}

async function captureGrouped(database: Database, run: (db: Database['db']) => Promise<unknown>): Promise<QuerySet> {
  const plugin = new GroupingCapturePlugin();
  await run(database.db.withPlugin(plugin));
  const executor = database.db.getExecutor();
  const { nodes, groups } = plugin.executed();
  const queries = nodes.map((node) => {
    const compiled = executor.compileQuery(node, { queryId: 'bench' });
    return { sql: compiled.sql, parameters: compiled.parameters };
  });
  return { parallel: groups.length === 1 && queries.length > 1, queries, groups };
}

/** `n` of `items` drawn without replacement by a seeded shuffle (all of them when there are fewer). */
function sample<T>(items: readonly T[], n: number, random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

/**
 * Case ids the actor may open, half of them open and half closed: the newest 4× of each in the actor's scope
 * (the app's own scope condition), then a seeded sample.
 */
async function caseIdsFor(database: Database, actor: Actor, random: Random): Promise<number[]> {
  const pick = async (open: boolean) =>
    (
      await database.db
        .selectFrom('cases')
        .select('id')
        .where((eb) => caseCondition(eb, actor))
        .where('closed_at', open ? 'is' : 'is not', null)
        .orderBy('id', 'desc')
        .limit(DETAIL_IDS * 2)
        .execute()
    ).map((r) => r.id);
  const [open, closed] = [await pick(true), await pick(false)];
  const half = DETAIL_IDS / 2;
  const fromOpen = sample(open, Math.max(half, DETAIL_IDS - closed.length), random);
  return sample([...fromOpen, ...sample(closed, DETAIL_IDS - fromOpen.length, random)], DETAIL_IDS, random);
}

/**
 * What staff type into the search box, from the words the generator puts into the cases' search vectors
 * (second-level category names and their keywords; src/server/demo/synthetic-cases.ts): a keyword, a category
 * name, or two words of one category ("垃圾清运 小区"); and the brief's common ones (噪音, 井盖, 漏水, …), which
 * may or may not be among them.
 */
export function searchQueries(categories: IntakeTargets['categories'], count: number, seed = 7): string[] {
  const random = new Random(seed);
  const common = ['噪音', '垃圾清运', '占道经营', '井盖', '漏水', '停车', '路灯', '噪音 扰民'];
  // The generator's vectors hold whole keywords (array_to_tsvector), while the app segments a query with
  // jieba: a keyword jieba splits (垃圾满溢 → 垃圾 & 满溢) would find none of the synthetic cases, so only the
  // words the search box keeps whole are drawn, and the category's name (a query for it also looks for the whole
  // word); the common words may still find nothing.
  const whole = (w: string) => searchQueryText(w) === `'${w}':*`;
  const withWords = categories.map((c) => ({ name: c.name, keywords: c.keywords.filter(whole) }));
  const out: string[] = [];
  for (let i = 0; out.length < count; i += 1) {
    const r = random.next();
    if (r < 0.1 || withWords.length === 0) {
      out.push(common[i % common.length] as string);
      continue;
    }
    const category = random.pick(withWords);
    const words = [...category.keywords, category.name];
    if (r < 0.75 || category.keywords.length < 2) out.push(random.pick(words));
    else {
      // Two keywords of one category (a name's segments would have to match one by one: it is kept whole).
      const [a, b] = sample(category.keywords, 2, random);
      out.push(`${a} ${b}`);
    }
  }
  return out;
}

const query = (path: string) => Object.fromEntries(new URL(path, 'http://bench').searchParams);

/**
 * The read scenarios of `workloads` and their SQL, for a loaded database (called from bench/cases.ts `caseSetup`, so a reused
 * `--keep` database gets them for today's dates).
 */
export async function readsSetup(
  database: Database,
  districtId: number,
  categories: IntakeTargets['categories'],
  workloads: readonly ReadWorkload[],
  actors: { worker: Actor; supervisor: Actor; leader: Actor },
): Promise<ReadsSetup> {
  const now = new Date();
  const at = { now, calendar: new WorkCalendar() };
  const settings = { partlySatisfiedWeight: 0.8, rankingMinVolume: 10 };
  const day = today(now);
  const scenarios: ReadScenario[] = [];
  const started = performance.now();

  // case-detail: GET /api/cases/:id over many ids in the account's scope.
  if (workloads.includes('case-detail')) {
    for (const [key, username, who, actor] of [
      ['case-detail:grid', 'busy.grid.worker', 'the grid worker of the busiest grid', actors.worker],
      ['case-detail:district', 'district.supervisor', 'a district supervisor', actors.supervisor],
    ] as const) {
      const ids = await caseIdsFor(database, actor, new Random(key.length * 101));
      const sets: QuerySet[] = [];
      for (const id of ids.slice(0, DETAIL_SETS)) {
        sets.push(await captureGrouped(database, (db) => caseDetail(db, actor, id, at)));
      }
      scenarios.push({
        key,
        workload: 'case-detail',
        username,
        who,
        what: `${ids.length} different case ids in scope, open and closed, rotated`,
        paths: ids.map((id) => `/api/cases/${id}`),
        sets,
      });
    }
  }

  // search: GET /api/cases?q=…&pageSize=20 (the console's search box) as the district supervisor.
  if (workloads.includes('search')) {
    const words = searchQueries(categories, SEARCH_QUERIES);
    const searchPaths = words.map((q) => `/api/cases?q=${encodeURIComponent(q)}&pageSize=20`);
    const searchSets: QuerySet[] = [];
    for (const path of searchPaths.slice(0, SEARCH_SETS)) {
      searchSets.push(
        await captureGrouped(database, (db) => listCases(db, actors.supervisor, listCasesQuery.parse(query(path)), at)),
      );
    }
    scenarios.push({
      key: 'search:district',
      workload: 'search',
      username: 'district.supervisor',
      who: 'a district supervisor',
      what: `Chinese full-text search, ${words.length} seeded queries rotated (category keywords and names, two-word queries)`,
      paths: searchPaths,
      sets: searchSets,
    });
  }

  // dashboard: the analytics page's overview (its 三率 are `three-rates`, its ranking `rankings`).
  if (workloads.includes('dashboard')) {
    const yearStart = `${day.slice(0, 4)}-01-01`;
    for (const [key, path, what] of [
      [
        'dashboard:overview:month',
        `/api/metrics/overview?unitId=${districtId}&from=${day.slice(0, 7)}-01&to=${day}`,
        'this month',
      ],
      [
        'dashboard:overview:year',
        `/api/metrics/overview?unitId=${districtId}&from=${yearStart}&to=${day}`,
        'this year',
      ],
    ] as const) {
      scenarios.push({
        key,
        workload: 'dashboard',
        username: 'district.leader',
        who: 'a district leader',
        what: `数据分析's overview of the district, ${what} (over time, by category, channel, unit and grid; now)`,
        paths: [path],
        sets: [
          await captureGrouped(database, (db) => overview(db, actors.leader, overviewQuery.parse(query(path)), now)),
        ],
      });
    }
  }

  // rankings: the units within the district ranked by their 三率, for a month and a year.
  if (workloads.includes('rankings')) {
    for (const [key, path, what] of [
      ['rankings:month', `/api/metrics/rankings?within=${districtId}&period=month&date=${day}`, 'streets, this month'],
      ['rankings:year', `/api/metrics/rankings?within=${districtId}&period=year&date=${day}`, 'streets, this year'],
      [
        'rankings:grid:year',
        `/api/metrics/rankings?within=${districtId}&level=grid&period=year&date=${day}`,
        'every grid of the district, this year',
      ],
    ] as const) {
      scenarios.push({
        key,
        workload: 'rankings',
        username: 'district.supervisor',
        who: 'a district supervisor',
        what: `unit rankings (排名): ${what}`,
        paths: [path],
        sets: [
          await captureGrouped(database, (db) =>
            rankings(db, actors.supervisor, settings, rankingsQuery.parse(query(path)), now),
          ),
        ],
      });
    }
  }

  console.log(
    `  ${workloads.join(', ')}: ${scenarios.length} scenarios, their SQL captured in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { scenarios };
}

/** The statements of a scenario's sets, for descriptions: "7 statements in 2 rounds" (the first set's). */
export function setShape(sets: readonly QuerySet[]): string {
  const first = sets[0];
  if (!first) return 'no statements';
  const rounds = first.groups?.length ?? (first.parallel ? 1 : first.queries.length);
  const count = (s: QuerySet) => s.queries.length;
  const min = Math.min(...sets.map(count));
  const max = Math.max(...sets.map(count));
  const n = min === max ? `${min}` : `${min}–${max}`;
  return `${n} statement(s) in ${rounds} round(s) (statements of a round sent in parallel, as the service does)`;
}

/** A rotating path: each autocannon request takes the next one (autocannon `requests[].setupRequest`). */
export function rotatingRequests(paths: readonly string[], cookie: string): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'GET',
      path: paths[0] as string,
      setupRequest: (request) => {
        const path = paths[next % paths.length] as string;
        next += 1;
        return { ...request, path, headers: { ...request.headers, cookie } };
      },
    },
  ];
}

/**
 * Checks every path of a scenario answers 200 (a sample of at most 50 for long rotations, spread over the list)
 * and returns the mean `total` of the answers that have one (the case lists), to show the lists are not empty.
 */
export async function probe(
  baseUrl: string,
  scenario: ReadScenario,
  cookie: string,
): Promise<{ ok: boolean; failure: string | null; meanTotal: number | null; emptyShare: number | null }> {
  const step = Math.max(1, Math.floor(scenario.paths.length / 50));
  const totals: number[] = [];
  for (let i = 0; i < scenario.paths.length; i += step) {
    const path = scenario.paths[i] as string;
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
    if (response.status !== 200) {
      return {
        ok: false,
        failure: `GET ${path}: ${response.status} ${await response.text()}`,
        meanTotal: null,
        emptyShare: null,
      };
    }
    const body = (await response.json()) as { total?: number };
    if (typeof body.total === 'number') totals.push(body.total);
  }
  if (totals.length === 0) return { ok: true, failure: null, meanTotal: null, emptyShare: null };
  return {
    ok: true,
    failure: null,
    meanTotal: totals.reduce((a, b) => a + b, 0) / totals.length,
    emptyShare: totals.filter((t) => t === 0).length / totals.length,
  };
}

const suffixOf = (connections: number) => (connections === 1 ? ':single' : '');

/** The HTTP scenarios of a read workload, each probed first (a scenario whose probe fails is not measured). */
export async function readHttpScenarios(
  name: ReadWorkload,
  baseUrl: string,
  setup: ReadsSetup | undefined,
  signIn: (baseUrl: string, username: string) => Promise<string>,
  connectionsList: readonly number[],
) {
  if (!setup) throw new Error(`${name}: no read setup (captured at case setup)`);
  const out: Array<{
    workload: string;
    description: string;
    connections: number;
    options: { requests: ReturnType<typeof rotatingRequests> };
  }> = [];
  for (const scenario of setup.scenarios.filter((s) => s.workload === name)) {
    const cookie = await signIn(baseUrl, scenario.username);
    const checked = await probe(baseUrl, scenario, cookie);
    if (!checked.ok) {
      console.warn(`  ${scenario.key}: not measured (${checked.failure})`);
      continue;
    }
    const totals =
      checked.meanTotal === null
        ? ''
        : `; ${Math.round(checked.meanTotal).toLocaleString('en-US')} matching cases on average (capped at the ` +
          `list's count cap), ${Math.round((checked.emptyShare ?? 0) * 100)} % of queries find none`;
    if (checked.meanTotal !== null) console.log(`  ${scenario.key}: probe${totals.replace(';', '')}`);
    const shown = scenario.paths.length === 1 ? scenario.paths[0] : `${scenario.paths[0]} …`;
    for (const connections of connectionsList) {
      out.push({
        workload: `${scenario.key}${suffixOf(connections)}`,
        description: `GET ${shown} as ${scenario.who}: ${scenario.what}${totals}`,
        connections,
        options: { requests: rotatingRequests(scenario.paths, cookie) },
      });
    }
  }
  return out;
}

/** The raw scenarios of a read workload: the captured sets, rotated, through bench/raw.ts's `queries` scenario. */
export function readRawScenarios(
  name: ReadWorkload,
  setup: ReadsSetup | undefined,
  db: string,
  connectionsList: readonly number[],
) {
  if (!setup) throw new Error(`${name}: no read setup (captured at case setup)`);
  return setup.scenarios
    .filter((s) => s.workload === name)
    .flatMap((scenario) =>
      connectionsList.map((connections) => ({
        workload: `${scenario.key}:sql${suffixOf(connections)}`,
        description:
          `the SQL the app runs for ${scenario.paths.length === 1 ? scenario.paths[0] : `${scenario.sets.length} of the ${scenario.paths.length} requests (rotated)`} ` +
          `as ${scenario.who}: ${setShape(scenario.sets)}, compiled from the app's own query code; ` +
          `${connections === 1 ? '1 worker' : `${connections} workers`}, ${db}`,
        connections,
        scenario: { type: 'queries' as const, set: scenario.sets[0] as QuerySet, sets: scenario.sets },
      })),
    );
}
