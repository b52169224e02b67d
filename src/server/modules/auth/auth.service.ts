import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import type { OtpSender } from './otp-sender.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';

export type LoginResult =
  | { ok: true; accountId: number; displayName: string }
  | { ok: false; reason: 'unknown' | 'badPassword' | 'locked' | 'disabled'; accountId?: number; lockedNow?: boolean };

/**
 * Checks a staff username and password. Failures count towards a lockout (LOGIN_MAX_FAILURES within the
 * account's history since its last success); a locked account refuses even the right password until
 * LOCKOUT_MINUTES have passed.
 */
export async function checkStaffLogin(
  database: Database,
  config: Config,
  username: string,
  password: string,
): Promise<LoginResult> {
  const account = await database.db
    .selectFrom('accounts')
    .select(['id', 'password_hash', 'status', 'locked_until', 'display_name'])
    .where('kind', '=', 'staff')
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
  if (!account?.password_hash) {
    await verifyPassword(password, await dummyPasswordHash());
    return { ok: false, reason: 'unknown' };
  }
  if (account.locked_until && account.locked_until.getTime() > Date.now()) {
    return { ok: false, reason: 'locked', accountId: account.id };
  }
  const valid = await verifyPassword(password, account.password_hash);
  if (account.status !== 'active') return { ok: false, reason: 'disabled', accountId: account.id };
  if (!valid) {
    const updated = await database.db
      .updateTable('accounts')
      .set((eb) => ({
        failed_logins: eb('failed_logins', '+', 1),
        locked_until: sql`CASE WHEN failed_logins + 1 >= ${config.loginMaxFailures}
                              THEN now() + make_interval(mins => ${config.lockoutMinutes}) ELSE NULL END`,
      }))
      .where('id', '=', account.id)
      .returning(['failed_logins'])
      .executeTakeFirstOrThrow();
    return {
      ok: false,
      reason: 'badPassword',
      accountId: account.id,
      lockedNow: updated.failed_logins >= config.loginMaxFailures,
    };
  }
  await database.db
    .updateTable('accounts')
    .set({ failed_logins: 0, locked_until: null, last_login_at: sql`now()` })
    .where('id', '=', account.id)
    .execute();
  return { ok: true, accountId: account.id, displayName: account.display_name };
}

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

const codeHash = (config: Config, phone: string, code: string) =>
  createHmac('sha256', config.sessionSecret).update(`${phone}:${code}`).digest('hex');

/** Issues a one-time code, within the per-phone and per-IP hourly limits. */
export async function requestOtp(
  database: Database,
  config: Config,
  sender: OtpSender,
  phone: string,
  ip: string,
): Promise<{ expiresInSeconds: number }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await database.transaction(async (trx) => {
    // Serialise issuing per phone so parallel requests cannot both pass the limit check.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`otp:${phone}`}))`.execute(trx);
    const since = sql<Date>`now() - interval '1 hour'`;
    const counts = await trx
      .selectNoFrom((eb) => [
        eb
          .selectFrom('otp_challenges')
          .select(eb.fn.countAll<number>().as('n'))
          .where('phone', '=', phone)
          .where('created_at', '>', since)
          .as('perPhone'),
        eb
          .selectFrom('otp_challenges')
          .select(eb.fn.countAll<number>().as('n'))
          .where('ip', '=', ip)
          .where('created_at', '>', since)
          .as('perIp'),
        eb
          .selectFrom('otp_challenges')
          .select(eb.fn.countAll<number>().as('n'))
          .where('phone', '=', phone)
          .where('created_at', '>', sql<Date>`now() - interval '60 seconds'`)
          .as('lastMinute'),
      ])
      .executeTakeFirstOrThrow();
    if (
      Number(counts.perPhone) >= config.otpPerPhonePerHour ||
      Number(counts.perIp) >= config.otpPerIpPerHour ||
      Number(counts.lastMinute) > 0
    ) {
      throw new AppError('RATE_LIMITED', 'Too many codes requested; please wait before asking again', undefined, {
        'retry-after': '60',
      });
    }
    // A new code replaces any earlier one for the phone.
    await trx
      .updateTable('otp_challenges')
      .set({ consumed_at: sql`now()` })
      .where('phone', '=', phone)
      .where('consumed_at', 'is', null)
      .execute();
    await trx
      .insertInto('otp_challenges')
      .values({
        phone,
        code_hash: codeHash(config, phone, code),
        ip,
        expires_at: new Date(Date.now() + config.otpTtlSeconds * 1000),
      })
      .execute();
  });
  await sender.send(phone, code);
  return { expiresInSeconds: config.otpTtlSeconds };
}

const MAX_CODE_ATTEMPTS = 5;

/** Consumes a code: right once, never again; five wrong guesses burn it. */
export async function verifyOtp(database: Database, config: Config, phone: string, code: string): Promise<boolean> {
  return database.transaction(async (trx) => {
    const challenge = await trx
      .selectFrom('otp_challenges')
      .select(['id', 'code_hash', 'attempts'])
      .where('phone', '=', phone)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', new Date())
      .orderBy('id', 'desc')
      .forUpdate()
      .executeTakeFirst();
    if (!challenge) return false;
    const expected = Buffer.from(challenge.code_hash, 'hex');
    const actual = Buffer.from(codeHash(config, phone, code), 'hex');
    if (timingSafeEqual(expected, actual)) {
      await trx.updateTable('otp_challenges').set({ consumed_at: sql`now()` }).where('id', '=', challenge.id).execute();
      return true;
    }
    await trx
      .updateTable('otp_challenges')
      .set({
        attempts: challenge.attempts + 1,
        ...(challenge.attempts + 1 >= MAX_CODE_ATTEMPTS ? { consumed_at: sql`now()` } : {}),
      })
      .where('id', '=', challenge.id)
      .execute();
    return false;
  });
}

/** The resident account for a phone, created at first sign-in. */
export async function residentAccountFor(q: Queryable, phone: string): Promise<{ id: number; displayName: string }> {
  const existing = await q
    .selectFrom('accounts')
    .select(['id', 'display_name', 'status'])
    .where('phone', '=', phone)
    .where('kind', '=', 'resident')
    .executeTakeFirst();
  if (existing) {
    if (existing.status !== 'active') throw new AppError('FORBIDDEN', 'This account is disabled');
    await q.updateTable('accounts').set({ last_login_at: sql`now()` }).where('id', '=', existing.id).execute();
    return { id: existing.id, displayName: existing.display_name };
  }
  const person = await q
    .selectFrom('people')
    .select(['id', 'name'])
    .where('phone', '=', phone)
    .orderBy('id')
    .executeTakeFirst();
  const created = await q
    .insertInto('accounts')
    .values({
      kind: 'resident',
      phone,
      person_id: person?.id ?? null,
      display_name: person?.name ?? `居民${phone.slice(-4)}`,
      last_login_at: new Date(),
    })
    .onConflict((oc) => oc.column('phone').doUpdateSet({ last_login_at: new Date() }))
    .returning(['id', 'display_name'])
    .executeTakeFirstOrThrow();
  return { id: created.id, displayName: created.display_name };
}
