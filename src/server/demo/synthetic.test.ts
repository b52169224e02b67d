import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds, freshDatabase } from '../../../test/support/databases.ts';
import type { Queryable } from '../db/database.ts';
import { validatePolygon } from '../geo/polygon.ts';
import { isValidIdNumber } from '../modules/people/id-number.ts';
import { generateSynthetic, SHAPE_17_AREAS, type SyntheticOptions } from './synthetic.ts';
import { createSyntheticLogins } from './synthetic-accounts.ts';
import { fingerprint } from './test-fingerprint.ts';

const SMALL: SyntheticOptions = {
  districts: 2,
  streetsPerDistrict: 3,
  communitiesPerStreet: 2,
  grids: 29,
  departmentsPerDistrict: 4,
  compoundsPerGrid: 1,
  buildingsPerCompound: 2,
  entrancesPerBuilding: 2,
  people: 5000,
};

async function countByKind(q: Queryable) {
  const rows = await q
    .selectFrom('units')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

const digests: Array<{ kind: string; value: unknown }> = [];

for (const kind of await databaseKinds()) {
  describe(`synthetic territory (${kind})`, () => {
    test('has the requested counts, valid paths, boundaries and identity numbers', async () => {
      const { database, dispose } = await freshDatabase(kind);
      try {
        const result = await database.transaction((trx) => generateSynthetic(trx, SMALL));
        const db = database.db;
        assert.deepEqual(await countByKind(db), {
          city: 1,
          district: 2,
          department: 8,
          street: 6,
          community: 12,
          grid: 29,
          compound: 29,
          building: 58,
          entrance: 116,
        });
        assert.equal(result.grids, 29);
        assert.equal(result.units, 1 + 2 + 8 + 6 + 12 + 29 + 29 + 58 + 116);
        const wrongPaths = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM units c LEFT JOIN units p ON p.id = c.parent_id
          WHERE c.path <> coalesce(p.path, '/') || c.id || '/' OR c.depth <> coalesce(p.depth + 1, 0)`.execute(db);
        assert.equal(wrongPaths.rows[0]?.n, 0);
        const wrongOrgPaths = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM party_orgs c LEFT JOIN party_orgs p ON p.id = c.parent_id
          WHERE c.path <> coalesce(p.path, '/') || c.id || '/'`.execute(db);
        assert.equal(wrongOrgPaths.rows[0]?.n, 0);
        const gridsPer = await sql<{ n: number }>`
          SELECT count(g.id)::int AS n FROM units c JOIN units g ON g.parent_id = c.id AND g.kind = 'grid'
          WHERE c.kind = 'community' GROUP BY c.id`.execute(db);
        assert.deepEqual([...new Set(gridsPer.rows.map((r) => r.n))].sort(), [2, 3]);

        const residents = await db
          .selectFrom('people')
          .select(['id_number', 'phone', 'unit_id'])
          .where('is_resident', '=', true)
          .execute();
        assert.equal(residents.length, 5000);
        assert.equal(result.people, 5000);
        for (const p of residents) assert.ok(p.id_number && isValidIdNumber(p.id_number), p.id_number ?? 'null');
        assert.equal(new Set(residents.map((p) => p.phone)).size, 5000);
        assert.ok(residents.every((p) => p.phone && /^1[358]\d{9}$/.test(p.phone)));
        const homes = await sql<{ kind: string }>`
          SELECT DISTINCT u.kind FROM people p JOIN units u ON u.id = p.unit_id WHERE p.is_resident`.execute(db);
        assert.deepEqual(
          homes.rows.map((r) => r.kind),
          ['entrance'],
        );

        const boundaries = await sql<{ id: number; geojson: unknown; area: number; inside: boolean }>`
          SELECT b.unit_id AS id, b.geojson, b.area, b.outline @> center(box(polygon(b.outline))) AS inside
          FROM grid_boundaries b JOIN units u ON u.id = b.unit_id WHERE u.kind = 'grid'`.execute(db);
        assert.equal(boundaries.rows.length, 29);
        for (const b of boundaries.rows) {
          const polygon = validatePolygon(b.geojson);
          assert.ok(Math.abs(polygon.area - b.area) / b.area < 0.001, `area of ${b.id}`);
          assert.ok(b.inside);
        }
        const located = await sql<{ grid: number; hits: number }>`
          SELECT g.unit_id AS grid, count(o.unit_id)::int AS hits FROM grid_boundaries g
          JOIN grid_boundaries o ON o.outline @> center(box(polygon(g.outline))) GROUP BY g.unit_id`.execute(db);
        assert.ok(
          located.rows.every((r) => r.hits === 1),
          'each grid centre lies in exactly one grid',
        );

        const members = await sql<{ wrong: number; total: number }>`
          SELECT count(*) FILTER (WHERE l.unit_id IS NULL)::int AS wrong, count(*)::int AS total
          FROM party_members m JOIN people p ON p.id = m.person_id
          JOIN units u ON u.id = p.unit_id
          LEFT JOIN party_org_units l ON l.party_org_id = m.party_org_id AND u.path LIKE '%/' || l.unit_id || '/%'`.execute(
          db,
        );
        assert.ok((members.rows[0]?.total ?? 0) > 100);
        assert.equal(members.rows[0]?.wrong, 0, 'members belong to the branch of their community');
        digests.push({ kind, value: await fingerprint(db) });
      } finally {
        await dispose();
      }
    });

    test('the "17 areas / 147 grids" shape, people crowded in a few grids, and bench logins', async () => {
      const { database, dispose } = await freshDatabase(kind);
      try {
        const { rootPath } = await database.transaction((trx) =>
          generateSynthetic(trx, { ...SHAPE_17_AREAS, people: 20_000 }),
        );
        const counts = await countByKind(database.db);
        assert.equal(counts.street, 17);
        assert.equal(counts.grid, 147);
        const perGrid = await sql<{ n: number }>`
          SELECT count(p.id)::int AS n FROM units g LEFT JOIN people p ON p.unit_id = g.id AND p.is_resident
          WHERE g.kind = 'grid' GROUP BY g.id ORDER BY 1`.execute(database.db);
        const sizes = perGrid.rows.map((r) => r.n);
        assert.equal(
          sizes.reduce((a, b) => a + b, 0),
          20_000,
        );
        const median = sizes[Math.floor(sizes.length / 2)] as number;
        assert.ok((sizes.at(-1) as number) > 4 * median, `largest ${sizes.at(-1)} vs median ${median}`);
        const logins = await database.transaction((trx) => createSyntheticLogins(trx, rootPath, 'not-a-hash'));
        assert.deepEqual(
          logins.map((l) => l.role),
          ['systemAdmin', 'districtAdmin', 'communityWorker', 'gridWorker', 'departmentHandler'],
        );
      } finally {
        await dispose();
      }
    });
  });
}

describe('synthetic territory is deterministic', () => {
  test('the same options give the same rows in a fresh database of every kind', async () => {
    const kinds = await databaseKinds();
    const { database, dispose } = await freshDatabase(kinds[0] ?? 'embedded');
    try {
      await database.transaction((trx) => generateSynthetic(trx, SMALL));
      const value = await fingerprint(database.db);
      assert.ok(digests.length >= 1);
      for (const other of digests) assert.deepEqual(value, other.value, other.kind);
    } finally {
      await dispose();
    }
  });
});
