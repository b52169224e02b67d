import { Client, type TestApp } from '../../../../test/support/app.ts';
import type { Database } from '../../db/database.ts';
import { createSession } from '../auth/session.service.ts';

/** Test helpers of the activities module: residents placed in a home unit, signed in without the OTP round. */

let phoneSeq = 0;

/** A resident person and account living in `homeUnitId` (none: not placed yet). */
export async function insertResident(database: Database, homeUnitId: number | null, label = 'R') {
  phoneSeq += 1;
  const phone = `1770${String(process.pid % 1000).padStart(3, '0')}${String(phoneSeq).padStart(4, '0')}`;
  const person = await database.db
    .insertInto('people')
    .values({ name: `活动居民${label}${phoneSeq}`, phone, unit_id: homeUnitId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const account = await database.db
    .insertInto('accounts')
    .values({ kind: 'resident', phone, person_id: person.id, display_name: `居民${phoneSeq}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { accountId: account.id, personId: person.id, phone };
}

/** A signed-in resident client living in `homeUnitId`. */
export async function residentOf(t: TestApp, homeUnitId: number | null, label?: string) {
  const r = await insertResident(t.database, homeUnitId, label);
  const session = await createSession(t.database.db, t.config, r.accountId, '127.0.0.1', 'activities-test');
  return Object.assign(new Client(t.app, session.token, session.csrfToken), r);
}

export type ResidentClient = Awaited<ReturnType<typeof residentOf>>;

/** An ISO instant `hours` from `from`. */
export const hoursFrom = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000).toISOString();
