import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import {
  generateSynthetic,
  SHAPE_17_AREAS,
  SHAPE_CITY_5000,
  type SyntheticOptions,
} from '../src/server/demo/synthetic.ts';
import { createSyntheticLogins } from '../src/server/demo/synthetic-accounts.ts';
import { hashPassword } from '../src/server/modules/auth/password.ts';

/**
 * Loads a synthetic territory into a database, for trying the product at scale:
 *
 *   npx node scripts/synthetic.ts --shape 17-areas --people 100000 --data-dir data-big
 *   npx node scripts/synthetic.ts --shape city-5000 --database-url postgres://…/linli_big --logins
 *
 * Sizes can be overridden one by one (--districts, --streets, --communities, --grids, --grids-per-community,
 * --compounds). With --logins it adds sysadmin, district.admin, community.worker, grid.worker and
 * dept.handler, whose password is the demo password.
 */
const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: '17-areas' },
    people: { type: 'string' },
    districts: { type: 'string' },
    streets: { type: 'string' },
    communities: { type: 'string' },
    grids: { type: 'string' },
    'grids-per-community': { type: 'string' },
    compounds: { type: 'string' },
    'root-name': { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string', default: 'data' },
    logins: { type: 'boolean', default: false },
  },
});

const shapes: Record<string, SyntheticOptions> = { '17-areas': SHAPE_17_AREAS, 'city-5000': SHAPE_CITY_5000 };
const shape = shapes[values.shape];
if (!shape) throw new Error(`--shape must be one of ${Object.keys(shapes).join(', ')}`);
const int = (v: string | undefined) => (v === undefined ? undefined : Number.parseInt(v, 10));
const overrides: SyntheticOptions = {
  people: int(values.people),
  districts: int(values.districts),
  streetsPerDistrict: int(values.streets),
  communitiesPerStreet: int(values.communities),
  grids: int(values.grids),
  gridsPerCommunity: int(values['grids-per-community']),
  compoundsPerGrid: int(values.compounds),
  rootName: values['root-name'],
};
const options: SyntheticOptions = { ...shape };
for (const [key, value] of Object.entries(overrides)) {
  if (value !== undefined) (options as Record<string, unknown>)[key] = value;
}

const database = await openDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] });
try {
  await migrate(database);
  const started = performance.now();
  const passwordHash = values.logins ? await hashPassword(DEMO_PASSWORD) : '';
  const { result, logins } = await database.transaction(async (trx) => {
    const result = await generateSynthetic(trx, options);
    const logins = values.logins ? await createSyntheticLogins(trx, result.rootPath, passwordHash) : [];
    return { result, logins };
  });
  console.log(`Loaded in ${((performance.now() - started) / 1000).toFixed(1)} s into ${database.location}:`, result);
  for (const l of logins) console.log(`  ${l.username.padEnd(18)} ${l.role} · ${l.unitName}`);
} finally {
  await database.close();
}
