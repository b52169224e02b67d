import { createHash, randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Actor, Grant } from '../../access/actor.ts';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../db/database.ts';

export const SESSION_COOKIE = 'linli_sid';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** A fresh session for every sign-in (the old one is dropped by the caller): no session fixation. */
export async function createSession(
  q: Queryable,
  config: Config,
  accountId: number,
  ip: string,
  userAgent: string | undefined,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + config.sessionAbsoluteHours * 3_600_000);
  await q
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      account_id: accountId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function destroySession(q: Queryable, token: string): Promise<void> {
  await q.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

export async function destroyAccountSessions(q: Queryable, accountId: number): Promise<void> {
  await q.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}

interface GrantJson {
  roleId: number;
  roleCode: string;
  permissions: string[];
  scope: Grant['scope'];
  unitId: number;
  unitPath: string;
}

/** An account's grants as one JSON array (in grant order), for a select list; `accountId` is the SQL of its id. */
const grantsJson = (accountId: RawBuilder<unknown>) =>
  sql<GrantJson[]>`(SELECT coalesce(json_agg(json_build_object(
      'roleId', r.id, 'roleCode', r.code, 'permissions', r.permissions, 'scope', r.data_scope,
      'unitId', g.unit_id, 'unitPath', u.path) ORDER BY g.id), '[]'::json)
    FROM role_grants g JOIN roles r ON r.id = g.role_id JOIN units u ON u.id = g.unit_id
    WHERE g.account_id = ${accountId})`;

const grantOf = (g: GrantJson): Grant => ({
  roleId: g.roleId,
  roleCode: g.roleCode,
  permissions: new Set(g.permissions),
  scope: g.scope,
  unitId: g.unitId,
  unitPath: g.unitPath,
});

export async function loadGrants(q: Queryable, accountId: number): Promise<Grant[]> {
  const { rows } = await sql<{ grants: GrantJson[] }>`SELECT ${grantsJson(sql`${accountId}`)} AS grants`.execute(q);
  return rows[0]!.grants.map(grantOf);
}

/**
 * The actor behind a session token, or null when the session is unknown, idle too long, past its absolute
 * expiry, or its account is disabled. Expired sessions are deleted on sight. The session, its account and (for
 * staff) the grants come back in one statement: one round trip per request, read afresh every time, so a revoked
 * session or grant counts from the next request.
 */
export async function loadActor(q: Queryable, config: Config, token: string): Promise<Actor | null> {
  const id = hashToken(token);
  const row = await q
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.id',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'a.id as accountId',
      'a.kind',
      'a.person_id',
      'a.display_name',
      'a.username',
      'a.status',
      'a.must_change_password',
      grantsJson(sql.ref('a.id')).as('grants'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const idleLimit = config.sessionIdleMinutes * 60_000;
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleLimit <= now || row.status !== 'active') {
    await q.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Touch at most once a minute: enough precision for the idle timeout without a write per request.
  if (now - row.last_seen_at.getTime() > 60_000) {
    await q.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
  }
  return {
    accountId: row.accountId,
    kind: row.kind,
    personId: row.person_id,
    displayName: row.display_name,
    username: row.username,
    grants: row.kind === 'staff' ? row.grants.map(grantOf) : [],
    sessionId: id,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
  };
}

/** Deletes sessions past either limit; sessions nobody comes back to are otherwise never looked at again. */
export async function purgeExpiredSessions(q: Queryable, config: Config): Promise<number> {
  const result = await q
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', new Date()),
        eb('last_seen_at', '<=', new Date(Date.now() - config.sessionIdleMinutes * 60_000)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
