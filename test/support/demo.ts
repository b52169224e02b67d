import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { createSession } from '../../src/server/modules/auth/session.service.ts';
import { Client, type TestApp } from './app.ts';

/** A logger that drops everything (the demo loaders log what they wrote). */
export const silentLog = { info() {}, warn() {}, error() {}, debug() {} } as never;

/**
 * The demo resident (DEMO_RESIDENT_PHONE, 体育场社区第一网格) signed in, as the first sign-in by code would leave
 * them: a resident account linked to their person record. Needs the demo data loaded.
 */
export async function demoResidentClient(t: TestApp): Promise<Client> {
  const person = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('phone', '=', DEMO_RESIDENT_PHONE)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const account = await t.database.db
    .insertInto('accounts')
    .values({ kind: 'resident', phone: DEMO_RESIDENT_PHONE, person_id: person.id, display_name: '演示居民' })
    .onConflict((oc) => oc.column('phone').doUpdateSet({ person_id: person.id }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'demo');
  return new Client(t.app, session.token, session.csrfToken);
}
