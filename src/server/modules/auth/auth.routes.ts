import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { permissionsOf } from '../../access/actor.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { AppError, unauthenticated } from '../../http/errors.ts';
import { audit, requestOrigin } from '../audit/audit.service.ts';
import {
  changePasswordBody,
  loginBody,
  okResponse,
  otpRequestBody,
  otpRequestResponse,
  otpVerifyBody,
  sessionResponse,
} from './auth.schema.ts';
import { checkStaffLogin, requestOtp, residentAccountFor, verifyOtp } from './auth.service.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.ts';
import { createSession, destroyAccountSessions, destroySession, loadActor, SESSION_COOKIE } from './session.service.ts';

export async function authRoutes(app: App, { database, config, otpSender }: Services) {
  const db = database.db;

  async function presentSession(actor: Actor) {
    const account = await db
      .selectFrom('accounts')
      .select(['must_change_password'])
      .where('id', '=', actor.accountId)
      .executeTakeFirstOrThrow();
    const units = actor.grants.length
      ? await db
          .selectFrom('role_grants as g')
          .innerJoin('roles as r', 'r.id', 'g.role_id')
          .innerJoin('units as u', 'u.id', 'g.unit_id')
          .select(['r.code', 'r.name', 'r.name_en', 'r.data_scope', 'u.id', 'u.name as unitName', 'u.kind'])
          .where('g.account_id', '=', actor.accountId)
          .orderBy('g.id')
          .execute()
      : [];
    return {
      session: {
        accountId: actor.accountId,
        kind: actor.kind,
        displayName: actor.displayName,
        username: actor.username,
        personId: actor.personId,
        permissions: permissionsOf(actor),
        grants: units.map((g) => ({
          roleCode: g.code,
          roleName: g.name,
          roleNameEn: g.name_en,
          unitId: g.id,
          unitName: g.unitName,
          unitKind: g.kind,
          scope: g.data_scope,
        })),
        csrfToken: actor.csrfToken,
        mustChangePassword: account.must_change_password,
      },
    };
  }

  /** Starts a session: drops the caller's previous one (rotation at sign-in) and sets the cookie. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, accountId: number) {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await destroySession(db, previous);
    const session = await createSession(db, config, accountId, request.ip, request.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      expires: session.expiresAt,
    });
    const actor = await loadActor(db, config, session.token);
    if (!actor) throw new Error('session vanished right after creation');
    request.actor = { ...actor, origin: requestOrigin(request) };
    return presentSession(actor);
  }

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in with username and password',
        body: loginBody,
        response: { 200: sessionResponse },
      },
      config: { access: { auth: 'public' }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const result = await checkStaffLogin(database, config, username, password);
      if (!result.ok) {
        await audit(db, request, {
          action: 'auth.login',
          outcome: 'failure',
          actorAccountId: result.accountId ?? null,
          actorName: username.slice(0, 64),
          detail: { reason: result.reason, lockedNow: result.lockedNow ?? false },
        });
        if (result.reason === 'locked' || result.lockedNow) {
          throw new AppError(
            'ACCOUNT_LOCKED',
            `Too many failed sign-ins: the account is locked for ${config.lockoutMinutes} minutes`,
          );
        }
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
      }
      const body = await startSession(request, reply, result.accountId);
      await audit(db, request, { action: 'auth.login', targetType: 'account', targetId: result.accountId });
      return body;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['auth'], summary: 'Sign out', response: { 200: okResponse } },
      config: { access: { auth: 'any' } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await destroySession(db, token);
      await audit(db, request, { action: 'auth.logout' });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in account, its roles and CSRF token',
        response: { 200: sessionResponse },
      },
      config: { access: { auth: 'public' } },
    },
    async (request) => {
      if (!request.actor) throw unauthenticated();
      return presentSession(request.actor);
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        body: changePasswordBody,
        response: { 200: okResponse },
      },
      config: { access: { auth: 'staff' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const account = await db
        .selectFrom('accounts')
        .select(['password_hash', 'username'])
        .where('id', '=', actor.accountId)
        .executeTakeFirstOrThrow();
      if (!account.password_hash || !(await verifyPassword(request.body.currentPassword, account.password_hash))) {
        await audit(db, request, { action: 'auth.passwordChange', outcome: 'failure' });
        throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong');
      }
      checkPasswordPolicy(request.body.newPassword, account.username);
      const hash = await hashPassword(request.body.newPassword);
      await database.transaction(async (trx) => {
        await trx
          .updateTable('accounts')
          .set({ password_hash: hash, password_changed_at: sql`now()`, must_change_password: false })
          .where('id', '=', actor.accountId)
          .execute();
        await destroyAccountSessions(trx, actor.accountId);
        await audit(trx, request, { action: 'auth.passwordChange', targetType: 'account', targetId: actor.accountId });
      });
      return startSession(request, reply, actor.accountId).then(() => ({ ok: true as const }));
    },
  );

  app.post(
    '/api/auth/otp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a one-time sign-in code to a resident phone',
        body: otpRequestBody,
        response: { 200: otpRequestResponse },
      },
      config: { access: { auth: 'public' } },
    },
    async (request) => {
      const result = await requestOtp(database, config, otpSender, request.body.phone, request.ip);
      return { sent: true as const, ...result };
    },
  );

  app.post(
    '/api/auth/otp/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Resident sign-in with the one-time code',
        body: otpVerifyBody,
        response: { 200: sessionResponse },
      },
      config: { access: { auth: 'public' }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { phone, code } = request.body;
      if (!(await verifyOtp(database, config, phone, code))) {
        await audit(db, request, {
          action: 'auth.otpLogin',
          outcome: 'failure',
          actorName: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        });
        throw new AppError('INVALID_CODE', 'The code is wrong or has expired; request a new one');
      }
      const account = await database.transaction((trx) => residentAccountFor(trx, phone));
      const body = await startSession(request, reply, account.id);
      await audit(db, request, { action: 'auth.otpLogin', targetType: 'account', targetId: account.id });
      return body;
    },
  );
}
