import { type RawBuilder, sql } from 'kysely';
import type { Trx } from '../db/database.ts';
import { nextId, pickIndex, rowCount, syncSequence, unit01 } from './synthetic-sql.ts';

const SURNAMES =
  '王李张刘陈杨赵郭孙周高马朱徐许胡宋吴何郑韩冯范魏曹杜史闫尚郝黄梁谢唐邓彭田董袁潘于蒋蔡程苏吕丁任姚卢姜崔';
const MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志永振海东峰亮德福春文新利胜洪光庆卫';
const FEMALE = '芳娜敏静丽艳娟霞秀英桂兰玉红燕玲婷雪慧颖琳欣悦晶洁萍梅莉凤倩佳怡雯琴云华爱春荣淑珍彩月丹蕾瑶';
const PHONE_PREFIXES = [
  '138',
  '139',
  '150',
  '151',
  '158',
  '186',
  '187',
  '188',
  '135',
  '136',
  '137',
  '152',
  '189',
  '180',
  '181',
  '182',
];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Birth dates cycle through 80 years of days; with the sequence digits that keeps identity numbers unique. */
const DAYS = 29_200;

/**
 * The columns of synthetic person number `i` (0-based, unique): a name picked with common surnames more
 * often, gender, birth date, a unique mobile number and a unique identity number with a valid check
 * character. Expects the caller to expose `i` as a column.
 */
function personColumns(i: RawBuilder<unknown>) {
  const male = sql`(${unit01(i, 1)} < 0.5)`;
  const surname = sql`substr(${SURNAMES}::text, 1 + floor(${unit01(i, 2)} ^ 2 * ${sql.lit(SURNAMES.length)})::int, 1)`;
  const char = (k: number) =>
    sql`CASE WHEN ${male} THEN substr(${MALE}::text, 1 + ${pickIndex(i, k, MALE.length)}, 1)
             ELSE substr(${FEMALE}::text, 1 + ${pickIndex(i, k, FEMALE.length)}, 1) END`;
  const given = sql`${char(3)} || CASE WHEN ${unit01(i, 4)} < 0.65 THEN ${char(5)} ELSE '' END`;
  const birth = sql`(date '1941-01-01' + ((${i})::bigint * 7919 % ${DAYS})::int)`;
  const sequence = sql`lpad((2 * ((${i}) / ${DAYS} % 500) + (${male})::int)::text, 3, '0')`;
  const first17 = sql`('410402' || to_char(${birth}, 'YYYYMMDD') || ${sequence})`;
  const phone = sql`(ARRAY[${sql.join(PHONE_PREFIXES.map((p) => sql.lit(p)))}])[1 + (${i}) % 16]
                    || lpad(((${i})::bigint * 7919 % 100000000)::text, 8, '0')`;
  return { male, name: sql`${surname} || ${given}`, birth, first17, phone };
}

/**
 * `f` is a column holding the first 17 digits: the GB 11643 check character. (The subquery computing `f`
 * ends in OFFSET 0 so the planner does not inline its expression into each of the 17 terms.)
 */
function checkCharacter(f: RawBuilder<unknown>) {
  const terms = ID_WEIGHTS.map((w, k) => sql`substr(${f}, ${sql.lit(k + 1)}, 1)::int * ${sql.lit(w)}`);
  return sql`substr('10X98765432', 1 + (${sql.join(terms, sql` + `)}) % 11, 1)`;
}

/** Inserts people numbered from `firstIndex`, one row per row of `source` (which exposes unit_id, address, j). */
async function insertPeople(
  trx: Trx,
  source: RawBuilder<unknown>,
  firstIndex: number,
  isResident: boolean,
): Promise<{ base: number; count: number }> {
  const base = (await nextId(trx, 'people')) - 1;
  const i = sql`(${firstIndex}::int + x.j)`;
  const c = personColumns(i);
  const count = await rowCount(
    trx,
    sql`INSERT INTO people (id, name, gender, birth_date, phone, id_number, unit_id, address, is_resident, note)
        SELECT id, name, gender, birth_date, phone, f || ${checkCharacter(sql`f`)}, unit_id, address, ${isResident}, note
        FROM (SELECT ${base}::int + x.j + 1 AS id, ${c.name} AS name,
                     CASE WHEN ${c.male} THEN 'male' ELSE 'female' END AS gender, ${c.birth} AS birth_date,
                     ${c.phone} AS phone, ${c.first17} AS f, x.unit_id, x.address, x.note
              FROM (${source}) x
              OFFSET 0) y`,
  );
  await syncSequence(trx, 'people');
  return { base, count };
}

/**
 * `total` residents over the synthetic grids: grid g weighs (1 − u)^(−1/1.5) (Pareto, α = 1.5, capped at
 * 30), and gets the difference of ⌊total · cumulative weight⌋, so the counts add up exactly. People live
 * in the grid's entrances when it has compounds, else in the grid itself. Then a care file for a share.
 */
export async function syntheticPeople(trx: Trx, rootPath: string, total: number, careShare: number) {
  const gi = sql`g.gi`;
  const source = sql`
    WITH g AS (SELECT id, name, row_number() OVER (ORDER BY id)::int AS gi FROM units
               WHERE kind = 'grid' AND path LIKE ${`${rootPath}%`}),
         w AS (SELECT g.*, least(power(1 - ${unit01(gi, 0)} * 0.999, -1 / 1.5), 30) AS w FROM g),
         c AS (SELECT w.*, floor(${total}::float8 * sum(w) OVER (ORDER BY gi) / sum(w) OVER ())::int AS cum FROM w),
         n AS (SELECT c.*, cum - coalesce(lag(cum) OVER (ORDER BY gi), 0) AS n FROM c),
         homes AS (SELECT grid.id AS grid_id, array_agg(e.id ORDER BY e.id) AS ids
                   FROM units grid JOIN units e ON e.kind = 'entrance' AND e.path LIKE grid.path || '%'
                   WHERE grid.kind = 'grid' AND grid.path LIKE ${`${rootPath}%`} GROUP BY grid.id)
    SELECT coalesce(h.ids[1 + s.k % cardinality(h.ids)], n.id) AS unit_id, n.name || s.k || '号' AS address,
           (row_number() OVER (ORDER BY n.gi, s.k) - 1)::int AS j, NULL::text AS note
    FROM n CROSS JOIN LATERAL generate_series(1, n.n) AS s (k) LEFT JOIN homes h ON h.grid_id = n.id`;
  const { base, count } = await insertPeople(trx, source, 0, true);
  const id = sql`p.id`;
  const care = await rowCount(
    trx,
    sql`INSERT INTO care_persons (person_id, kinds, note, visit_cycle_days)
        SELECT p.id,
               CASE WHEN ${unit01(id, 6)} < 0.6 THEN ARRAY['livingAlone'] WHEN ${unit01(id, 6)} < 0.85
                    THEN ARRAY['hardship'] ELSE ARRAY['elderly'] END,
               '合成数据', CASE WHEN ${unit01(id, 6)} < 0.6 THEN 7 ELSE 30 END
        FROM people p WHERE p.id > ${base}::int AND p.id <= ${base + count}::int AND ${unit01(id, 5)} < ${careShare}::float8`,
  );
  return { people: count, care };
}

/** A grid worker per grid and a grid head per community (heading each of its grids), as staff records. */
export async function syntheticStaff(trx: Trx, rootPath: string): Promise<number> {
  const within = `${rootPath}%`;
  const offset = 50_000_000;
  const workers = await insertPeople(
    trx,
    sql`SELECT id AS unit_id, NULL::text AS address, (row_number() OVER (ORDER BY id) - 1)::int AS j, NULL::text AS note
        FROM units WHERE kind = 'grid' AND path LIKE ${within}`,
    offset,
    false,
  );
  await sql`INSERT INTO unit_posts (unit_id, person_id, post, services)
            SELECT unit_id, id, 'gridWorker', '政策咨询、矛盾调解、代办服务' FROM people
            WHERE id > ${workers.base}::int AND id <= ${workers.base + workers.count}::int`.execute(trx);
  const heads = await insertPeople(
    trx,
    sql`SELECT id AS unit_id, NULL::text AS address, (row_number() OVER (ORDER BY id) - 1)::int AS j, NULL::text AS note
        FROM units WHERE kind = 'community' AND path LIKE ${within}`,
    offset + workers.count,
    false,
  );
  await sql`INSERT INTO unit_posts (unit_id, person_id, post)
            SELECT g.id, p.id, 'gridHead' FROM people p JOIN units g ON g.parent_id = p.unit_id AND g.kind = 'grid'
            WHERE p.id > ${heads.base}::int AND p.id <= ${heads.base + heads.count}::int`.execute(trx);
  return workers.count + heads.count;
}

/**
 * Party organisations mirroring the territory (a committee per district, a working committee per street,
 * a branch per community), each linked to its unit; adults become members of their community's branch, and
 * about 70 % of the grid workers and grid heads too (checked in at their community).
 */
export async function syntheticParty(trx: Trx, rootPath: string, memberShare: number) {
  const within = `${rootPath}%`;
  let orgs = 0;
  for (const [unitKind, kind, suffix] of [
    ['district', 'committee', '委员会'],
    ['street', 'workingCommittee', '党工委'],
    ['community', 'branch', '党支部'],
  ] as const) {
    const base = (await nextId(trx, 'party_orgs')) - 1;
    const ordered = sql`SELECT u.id, u.parent_id, u.name, row_number() OVER (ORDER BY u.id)::int AS rn FROM units u
                        WHERE u.kind = ${unitKind} AND u.path LIKE ${within}`;
    orgs += await rowCount(
      trx,
      sql`INSERT INTO party_orgs (id, parent_id, kind, name, path)
          SELECT ${base}::int + u.rn, po.id, ${kind}, u.name || ${suffix}, coalesce(po.path, '/') || (${base}::int + u.rn) || '/'
          FROM (${ordered}) u
          LEFT JOIN party_org_units link ON link.unit_id = u.parent_id
          LEFT JOIN party_orgs po ON po.id = link.party_org_id`,
    );
    await sql`INSERT INTO party_org_units (party_org_id, unit_id) SELECT ${base}::int + u.rn, u.id FROM (${ordered}) u`.execute(
      trx,
    );
    await syncSequence(trx, 'party_orgs');
  }
  const members = await rowCount(
    trx,
    sql`INSERT INTO party_members (person_id, party_org_id, status, joined_on)
        SELECT p.id, link.party_org_id, CASE WHEN p.id % 17 = 0 THEN 'probationary' ELSE 'full' END,
               least(p.birth_date + make_interval(years => 18 + p.id % 20), date '2025-07-01')::date
        FROM people p
        JOIN units u ON u.id = p.unit_id
        JOIN party_org_units link ON link.unit_id = split_part(u.path, '/', 5)::int
        WHERE p.is_resident AND u.path LIKE ${within} AND p.birth_date <= date '2007-01-01'
          AND ${unit01(sql`p.id`, 3)} < ${memberShare}::float8`,
  );
  // Most grid workers and grid heads are Party members of their community's branch, reported for duty there
  // (在职党员到社区报到): the people who handle the cases.
  const staffMembers = await rowCount(
    trx,
    sql`INSERT INTO party_members (person_id, party_org_id, status, joined_on, check_in_unit_id)
        SELECT DISTINCT ON (p.id) p.id, link.party_org_id, 'full', date '2010-07-01' + (p.id % 5000),
               split_part(u.path, '/', 5)::int
        FROM unit_posts up
        JOIN people p ON p.id = up.person_id
        JOIN units u ON u.id = p.unit_id
        JOIN party_org_units link ON link.unit_id = split_part(u.path, '/', 5)::int
        WHERE up.post IN ('gridWorker', 'gridHead') AND u.path LIKE ${within} AND NOT p.is_resident
          AND ${unit01(sql`p.id`, 4)} < 0.7
        ORDER BY p.id
        ON CONFLICT (person_id) DO NOTHING`,
  );
  return { orgs, members: members + staffMembers };
}
