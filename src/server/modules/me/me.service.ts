import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { chainOf, findPlace } from './me.repository.ts';
import { HOME_KINDS, type MeDto, type profileBody } from './me.schema.ts';

export async function loadMe(q: Queryable, accountId: number): Promise<MeDto> {
  const account = await q
    .selectFrom('accounts')
    .select(['id', 'phone', 'display_name', 'person_id'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const person = account.person_id
    ? await q
        .selectFrom('people as p')
        .leftJoin('units as u', 'u.id', 'p.unit_id')
        .select(['p.id', 'p.name', 'u.path'])
        .where('p.id', '=', account.person_id)
        .executeTakeFirst()
    : undefined;
  const home = person?.path ? await chainOf(q, person.path) : [];
  return {
    account: { id: account.id, phone: account.phone, displayName: account.display_name },
    person: person ? { id: person.id, name: person.name } : null,
    home,
    grid: home.find((u) => u.kind === 'grid') ?? null,
  };
}

/**
 * Places the resident: their people record (found by the account, else by the verified phone, else new)
 * gets the name and home unit, and the account points to it. Returns what changed for the audit log.
 */
export async function updateProfile(trx: Trx, actor: Actor, input: z.infer<typeof profileBody>) {
  const unit = await findPlace(trx, input.unitId);
  if (!unit?.active) throw notFound('Place');
  if (!(HOME_KINDS as readonly string[]).includes(unit.kind)) {
    throw badRequest('Choose your compound, building or entrance (or your grid)', { kind: unit.kind });
  }
  const chain = await chainOf(trx, unit.path);
  const grid = chain.find((u) => u.kind === 'grid');
  if (!grid) throw badRequest('This place does not belong to a grid yet; choose another or ask your community');

  const account = await trx
    .selectFrom('accounts')
    .select(['id', 'phone', 'person_id'])
    .where('id', '=', actor.accountId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let personId = account.person_id;
  if (personId === null && account.phone) {
    // A record the community already keeps for this phone, not yet linked to another account.
    const known = await trx
      .selectFrom('people as p')
      .select('p.id')
      .where('p.phone', '=', account.phone)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('accounts as o').select('o.id').whereRef('o.person_id', '=', 'p.id'))),
      )
      .orderBy('p.id')
      .executeTakeFirst();
    personId = known?.id ?? null;
  }
  const created = personId === null;
  if (personId === null) {
    const row = await trx
      .insertInto('people')
      .values({ name: input.name, phone: account.phone, unit_id: unit.id, is_resident: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    personId = row.id;
  } else {
    await trx
      .updateTable('people')
      .set({
        name: input.name,
        phone: account.phone,
        unit_id: unit.id,
        is_resident: true,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', personId)
      .execute();
  }
  await trx
    .updateTable('accounts')
    .set({ person_id: personId, display_name: input.name, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', account.id)
    .execute();
  return { personId, created, unitId: unit.id, gridId: grid.id };
}
