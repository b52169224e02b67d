import { sql } from 'kysely';
import type { Trx } from '../db/database.ts';

export interface SyntheticLogin {
  username: string;
  role: string;
  unitId: number;
  unitName: string;
}

/**
 * Demo-style staff accounts over a synthetic territory, for benchmarks: the system administrator at the
 * root, and a district admin, a community worker and a grid worker on the path to the most crowded
 * community (the worst case for a community's lists), plus a department handler.
 */
export async function createSyntheticLogins(
  trx: Trx,
  rootPath: string,
  passwordHash: string,
): Promise<SyntheticLogin[]> {
  const { rows } = await sql<{ community: number; grid: number }>`
    SELECT community, grid FROM (
      SELECT split_part(u.path, '/', 5)::int AS community, split_part(u.path, '/', 6)::int AS grid, count(*) AS n
      FROM people p JOIN units u ON u.id = p.unit_id
      WHERE p.is_resident AND u.path LIKE ${`${rootPath}%`} AND u.depth >= 4
      GROUP BY 1, 2) x
    ORDER BY sum(n) OVER (PARTITION BY community) DESC, n DESC, community, grid
    LIMIT 1`.execute(trx);
  const crowded = rows[0];
  if (!crowded) throw new Error('the synthetic territory has no people');
  const community = await trx
    .selectFrom('units')
    .select(['id', 'path'])
    .where('id', '=', crowded.community)
    .executeTakeFirstOrThrow();
  const districtId = Number(community.path.split('/')[2]);
  const department = await trx
    .selectFrom('units')
    .select('id')
    .where('parent_id', '=', districtId)
    .where('kind', '=', 'department')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const rootId = Number(rootPath.split('/')[1]);
  const wanted: Array<[string, string, number]> = [
    ['sysadmin', 'systemAdmin', rootId],
    ['district.admin', 'districtAdmin', districtId],
    ['community.worker', 'communityWorker', crowded.community],
    ['grid.worker', 'gridWorker', crowded.grid],
    ['dept.handler', 'departmentHandler', department.id],
  ];
  const roles = new Map((await trx.selectFrom('roles').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  const logins: SyntheticLogin[] = [];
  for (const [username, role, unitId] of wanted) {
    const unit = await trx.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirstOrThrow();
    const account = await trx
      .insertInto('accounts')
      .values({ kind: 'staff', username, display_name: `${unit.name}·${username}`, password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    const roleId = roles.get(role);
    if (!roleId) throw new Error(`unknown role ${role}`);
    await trx.insertInto('role_grants').values({ account_id: account.id, role_id: roleId, unit_id: unitId }).execute();
    logins.push({ username, role, unitId, unitName: unit.name });
  }
  return logins;
}
