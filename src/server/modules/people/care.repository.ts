import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { escapeLike, type UnitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { maskAddress, maskPhone } from '../../http/privacy.ts';
import type { carePersonItem } from './care.schema.ts';
import { personCondition } from './people.policy.ts';
import type { CareRecordDto } from './refs.schema.ts';

export interface CareFilter {
  withinPath?: string | undefined;
  kind?: string | undefined;
  q?: string | undefined;
}

function careQuery(q: Queryable, actor: Actor, scope: UnitScope, filter: CareFilter) {
  let query = q
    .selectFrom('care_persons as cp')
    .innerJoin('people as p', 'p.id', 'cp.person_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .where((eb) => personCondition(eb, actor, scope));
  if (filter.withinPath !== undefined) query = query.where('u.path', 'like', `${escapeLike(filter.withinPath)}%`);
  if (filter.kind) {
    const kind = filter.kind;
    query = query.where(sql<boolean>`${kind} = ANY(cp.kinds)`);
  }
  if (filter.q) query = query.where('p.name', 'ilike', `%${escapeLike(filter.q)}%`);
  return query;
}

/** Care-person files in the actor's carePerson.read scope, one page, one count query. */
export async function listCarePersons(
  q: Queryable,
  actor: Actor,
  scope: UnitScope,
  filter: CareFilter,
  page: number,
  pageSize: number,
) {
  const rows = await careQuery(q, actor, scope, filter)
    .leftJoin('people as rp', 'rp.id', 'cp.responsible_person_id')
    .select([
      'cp.kinds',
      'cp.note',
      'cp.visit_cycle_days',
      'cp.version',
      'rp.id as responsible_id',
      'rp.name as responsible_name',
      'p.id',
      'p.name',
      'p.gender',
      'p.birth_date',
      'p.phone',
      'p.address',
      'u.id as unit_id',
      'u.name as unit_name',
      'u.kind as unit_kind',
    ])
    .orderBy('p.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await careQuery(q, actor, scope, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items: Array<z.infer<typeof carePersonItem>> = rows.map((r) => ({
    kinds: r.kinds as CareRecordDto['kinds'],
    note: r.note,
    visitCycleDays: r.visit_cycle_days,
    responsiblePerson:
      r.responsible_id !== null && r.responsible_name !== null
        ? { id: r.responsible_id, name: r.responsible_name }
        : null,
    version: r.version,
    person: {
      id: r.id,
      name: r.name,
      gender: r.gender,
      birthDate: r.birth_date,
      phone: maskPhone(r.phone),
      address: maskAddress(r.address),
      unit:
        r.unit_id !== null && r.unit_name !== null && r.unit_kind !== null
          ? { id: r.unit_id, name: r.unit_name, kind: r.unit_kind as UnitKind }
          : null,
    },
  }));
  return { items, total: Number(count.n) };
}

export async function lockCareFile(q: Queryable, personId: number) {
  return q.selectFrom('care_persons').selectAll().where('person_id', '=', personId).forUpdate().executeTakeFirst();
}
