import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { generateSynthetic, SHAPE_17_AREAS } from '../src/server/demo/synthetic.ts';
import { generateCases } from '../src/server/demo/synthetic-cases.ts';

/**
 * Loads synthetic cases (a year of a hotline's appeals: src/server/demo/synthetic-cases.ts) into a database
 * that already has grids with boundaries, or — with --territory — into a fresh one after loading the
 * "17 areas / 147 grids" territory:
 *
 *   npx node scripts/synthetic-cases.ts --data-dir data-cases --territory --cases 1000000
 *   npx node scripts/synthetic-cases.ts --database-url postgres://postgres@127.0.0.1:5432/linli_big --cases 1000000
 *
 * Options: --cases N (default 100000), --seed S, --people N (with --territory, default 100000),
 * --batch N (cases per statement, default 100000).
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    territory: { type: 'boolean', default: false },
    people: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '100000' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string', default: 'data' },
  },
});

const database = await openDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] });
try {
  await migrate(database);
  if (values.territory) {
    const started = performance.now();
    const territory = await database.transaction((trx) =>
      generateSynthetic(trx, { ...SHAPE_17_AREAS, people: Number(values.people) }),
    );
    console.log(`Territory loaded in ${((performance.now() - started) / 1000).toFixed(1)} s:`, territory);
  }
  const total = Number(values.cases);
  let last = performance.now();
  const result = await generateCases(database, {
    count: total,
    seed: Number(values.seed),
    batchSize: Number(values.batch),
    onProgress: (done) => {
      const now = performance.now();
      console.log(
        `  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${((now - last) / 1000).toFixed(1)} s)`,
      );
      last = now;
    },
  });
  console.log(`Cases loaded in ${result.seconds.toFixed(1)} s into ${database.location}:`, result);
} finally {
  await database.close();
}
