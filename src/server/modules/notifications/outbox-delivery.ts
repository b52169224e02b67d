import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Selectable, sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Database, Trx } from '../../db/database.ts';
import type { Job } from '../../jobs/workers.ts';
import type { OutboxTable } from '../cases/cases.tables.ts';
import type { LiveNotification, NotificationBus } from './notification-bus.ts';
import type { DeliveryChannel } from './notifications.tables.ts';
import { createSenders, type MessageSender, maskRecipient, type SenderLogger } from './senders.ts';

/** A claim older than this is taken to be from a deliverer that died; another one takes the message over. */
export const CLAIM_LEASE_MS = 60_000;
/** After this many failed attempts a message is left alone (its last_error says why). */
export const MAX_ATTEMPTS = 10;

export interface DeliveryDeps {
  clock: Clock;
  bus: NotificationBus;
  senders: readonly MessageSender[];
  /** Written to outbox.claimed_by: which process holds a claim. */
  instanceId: string;
  log?: SenderLogger;
}

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** What the deliverer needs, from the app's services (the bus must be the one the streams subscribe to). */
export function deliveryDeps(
  services: { clock: Clock; config: Pick<Config, 'notifySenders'>; notificationBus?: NotificationBus },
  log: SenderLogger,
): DeliveryDeps {
  if (!services.notificationBus) throw new Error('deliveryDeps needs services.notificationBus');
  return {
    clock: services.clock,
    bus: services.notificationBus,
    senders: createSenders(services.config, log),
    instanceId: newInstanceId(),
    log,
  };
}

type OutboxRow = Selectable<OutboxTable>;

/** The payload as the case loop writes it; read defensively, since a bad message must not stop the others. */
interface Payload {
  accountIds: number[];
  unitIds: number[];
  supervisorsOf: number[];
  phone: string | null;
  excludeAccountId: number | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

const ids = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((v): v is number => Number.isSafeInteger(v) && v > 0) : [];

function readPayload(row: OutboxRow): Payload {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  const recipients = (p.recipients ?? {}) as Record<string, unknown>;
  const { recipients: _r, supervisorsOf, phone, excludeAccountId, title, body, ...data } = p;
  return {
    accountIds: ids(recipients.accountIds),
    unitIds: ids(recipients.unitIds),
    supervisorsOf: ids(supervisorsOf),
    phone: typeof phone === 'string' && phone.trim() ? phone.trim() : null,
    excludeAccountId: typeof excludeAccountId === 'number' ? excludeAccountId : null,
    title: typeof title === 'string' && title ? title : row.topic,
    body: typeof body === 'string' && body ? body : row.topic,
    data,
  };
}

interface Recipient {
  id: number;
  kind: 'staff' | 'resident';
  phone: string | null;
}

/**
 * Who gets the message, in SQL: the accounts named; the handlers and dispatchers granted at exactly the units
 * named (a grid's workers, a department's handlers); the supervisors whose grant covers the units in
 * `supervisorsOf`. Never the actor, never a disabled account.
 */
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters at nine columns a row. */
const INSERT_BATCH = 2000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An int[] literal (`{1,2,3}`) sent as one text parameter: the same on pg and PGlite. */
const intArray = (ids: readonly number[]) => `{${ids.map((id) => Math.trunc(id)).join(',')}}`;

async function resolveRecipients(trx: Trx, p: Payload): Promise<Recipient[]> {
  if (p.accountIds.length + p.unitIds.length + p.supervisorsOf.length === 0) return [];
  let query = trx
    .selectFrom('accounts as a')
    .select(['a.id', 'a.kind', 'a.phone'])
    .where('a.status', '=', 'active')
    .where((eb) => {
      const ors = [];
      // One array parameter, not one per account: an urgent notice names every resident of a district.
      if (p.accountIds.length) ors.push(sql<boolean>`a.id = ANY (${intArray(p.accountIds)}::int[])`);
      if (p.unitIds.length) {
        ors.push(
          eb.exists(
            eb
              .selectFrom('role_grants as g')
              .innerJoin('roles as r', 'r.id', 'g.role_id')
              .select(sql`1`.as('one'))
              .whereRef('g.account_id', '=', 'a.id')
              .where('g.unit_id', 'in', p.unitIds)
              .where(sql<boolean>`r.permissions && ARRAY['case.handle', 'case.dispatch']::text[]`),
          ),
        );
      }
      if (p.supervisorsOf.length) {
        ors.push(
          eb.exists(
            eb
              .selectFrom('role_grants as g')
              .innerJoin('roles as r', 'r.id', 'g.role_id')
              .innerJoin('units as gu', 'gu.id', 'g.unit_id')
              .innerJoin('units as u', (join) => join.on('u.id', 'in', p.supervisorsOf))
              .select(sql`1`.as('one'))
              .whereRef('g.account_id', '=', 'a.id')
              .where(sql<boolean>`'case.supervise' = ANY (r.permissions)`)
              .where((w) =>
                w.or([
                  w('r.data_scope', '=', 'all'),
                  w.and([w('r.data_scope', '=', 'subtree'), w(sql`starts_with(u.path, gu.path)`, '=', true)]),
                  w.and([w('r.data_scope', '=', 'unit'), w('g.unit_id', '=', w.ref('u.id'))]),
                ]),
              ),
          ),
        );
      }
      return eb.or(ors);
    });
  if (p.excludeAccountId !== null) query = query.where('a.id', '<>', p.excludeAccountId);
  return query.orderBy('a.id').execute();
}

interface Outgoing {
  deliveryId: number;
  channel: DeliveryChannel;
  recipient: string;
  template: string;
  params: Record<string, string>;
}

interface Delivered {
  live: LiveNotification[];
  outgoing: Outgoing[];
}

function templateParams(row: OutboxRow, p: Payload): Record<string, string> {
  const params: Record<string, string> = { title: p.title, action: p.body };
  for (const key of ['caseNumber', 'state', 'action'] as const) {
    const value = p.data[key];
    if (typeof value === 'string') params[key] = value;
  }
  if (row.case_id !== null) params.caseId = String(row.case_id);
  if (row.call_request_id !== null) params.callRequestId = String(row.call_request_id);
  return params;
}

/**
 * Delivers one claimed message in its own transaction. The row lock and the `delivered_at IS NULL` check make
 * a message delivered once even when a claim ran out and another deliverer took it over; the unique keys of
 * the inbox and the deliveries make a repeated attempt write nothing twice.
 */
async function deliverOne(
  database: Database,
  deps: DeliveryDeps,
  row: OutboxRow,
  now: Date,
): Promise<Delivered | null> {
  return database.transaction(async (trx) => {
    const locked = await trx
      .selectFrom('outbox')
      .select('id')
      .where('id', '=', row.id)
      .where('delivered_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return null;
    const p = readPayload(row);
    const recipients = await resolveRecipients(trx, p);
    const live: LiveNotification[] = [];
    for (const batch of chunks(recipients, INSERT_BATCH)) {
      const inserted = await trx
        .insertInto('notifications')
        .values(
          batch.map((r) => ({
            account_id: r.id,
            outbox_id: row.id,
            topic: row.topic,
            case_id: row.case_id,
            call_request_id: row.call_request_id,
            title: p.title,
            body: p.body,
            data: JSON.stringify(p.data),
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['outbox_id', 'account_id']).doNothing())
        .returning(['id', 'account_id'])
        .execute();
      for (const n of inserted) {
        live.push({
          id: n.id,
          accountId: n.account_id,
          topic: row.topic,
          title: p.title,
          body: p.body,
          caseId: row.case_id,
          callRequestId: row.call_request_id,
          createdAt: now.toISOString(),
        });
      }
    }

    // Residents hear about their cases by SMS too; so does a caller without an account (the payload's phone).
    const targets = new Map<string, number | null>();
    for (const r of recipients) if (r.kind === 'resident' && r.phone) targets.set(r.phone, r.id);
    if (p.phone && !targets.has(p.phone)) targets.set(p.phone, null);
    const outgoing: Outgoing[] = [];
    const sms = deps.senders.filter((s) => s.channel === 'sms');
    for (const batch of sms.length ? chunks([...targets], INSERT_BATCH) : []) {
      const params = templateParams(row, p);
      const rows = await trx
        .insertInto('notification_deliveries')
        .values(
          batch.map(([phone, accountId]) => ({
            outbox_id: row.id,
            account_id: accountId,
            channel: 'sms' as const,
            recipient: phone,
            template: row.topic,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['outbox_id', 'channel', 'recipient']).doNothing())
        .returning(['id', 'recipient'])
        .execute();
      for (const d of rows) {
        outgoing.push({ deliveryId: d.id, channel: 'sms', recipient: d.recipient, template: row.topic, params });
      }
    }
    await trx.updateTable('outbox').set({ delivered_at: now, last_error: null }).where('id', '=', row.id).execute();
    return { live, outgoing };
  });
}

/** Sends one external message through the senders of its channel; the error (masked) or null. */
async function sendOne(deps: DeliveryDeps, message: Outgoing): Promise<string | null> {
  const senders = deps.senders.filter((s) => s.channel === message.channel);
  let error: string | null = null;
  for (const sender of senders) {
    try {
      await sender.send(message.recipient, message.template, message.params);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      deps.log?.warn(
        { channel: message.channel, to: maskRecipient(message.channel, message.recipient), err: error },
        'sending a notification failed',
      );
    }
  }
  return error;
}

/** Deliveries marked sent with one UPDATE each this many: an urgent notice to 1,000 residents is 5, not 1,000. */
const SENT_BATCH = 200;

/**
 * Sends the external messages recorded in the delivery's transaction, after it committed, and records each
 * outcome: the sent ones in batches (one statement per SENT_BATCH), a failure at once with its error.
 */
async function sendAll(database: Database, deps: DeliveryDeps, messages: readonly Outgoing[]) {
  let sent: number[] = [];
  const flush = async () => {
    if (!sent.length) return;
    const ids = sent;
    sent = [];
    await database.db
      .updateTable('notification_deliveries')
      .set({ status: 'sent', sent_at: deps.clock.now() })
      .where('id', 'in', ids)
      .execute();
  };
  for (const message of messages) {
    const error = await sendOne(deps, message);
    if (error === null) {
      sent.push(message.deliveryId);
      if (sent.length >= SENT_BATCH) await flush();
      continue;
    }
    await database.db
      .updateTable('notification_deliveries')
      .set({ status: 'failed', error: error.slice(0, 1000), sent_at: null })
      .where('id', '=', message.deliveryId)
      .execute();
  }
  await flush();
}

/**
 * The outbox job: claims up to `limit` undelivered messages (skipping those another deliverer is working on),
 * writes each recipient's inbox entry, records the SMS to residents, marks the messages delivered, and after
 * each commit pushes the new entries live through the bus, then sends the SMS. Safe to run on every instance at once:
 * each message is delivered exactly once. Returns how many messages this call delivered.
 */
export async function deliverOutbox(database: Database, deps: DeliveryDeps, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
  const claimed = await database.transaction((trx) =>
    trx
      .updateTable('outbox')
      .set((eb) => ({ claimed_at: now, claimed_by: deps.instanceId, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('delivered_at', 'is', null)
          .where('attempts', '<', MAX_ATTEMPTS)
          .where((w) => w.or([w('claimed_at', 'is', null), w('claimed_at', '<', staleBefore)]))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute(),
  );
  claimed.sort((a, b) => a.id - b.id);
  let delivered = 0;
  for (const row of claimed) {
    let result: Delivered | null;
    try {
      result = await deliverOne(database, deps, row, now);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log?.error({ err: error, outboxId: row.id, topic: row.topic }, 'delivering an outbox message failed');
      await database.db
        .updateTable('outbox')
        .set({ last_error: message.slice(0, 1000) })
        .where('id', '=', row.id)
        .execute()
        .catch(() => {});
      continue;
    }
    if (!result) continue;
    delivered += 1;
    // Live first: the inbox entries are committed, and the open streams should not wait for the SMS of a
    // message to 1,000 residents to go out one by one (seconds) before they hear of it.
    if (result.live.length) {
      await deps.bus
        .publish(result.live)
        .catch((error: unknown) => deps.log?.warn({ err: error, outboxId: row.id }, 'live notification failed'));
    }
    await sendAll(database, deps, result.outgoing);
  }
  return delivered;
}

/** How often each instance looks at the outbox when nothing woke it. */
export const OUTBOX_INTERVAL_MS = 1000;

/** The outbox as a background job for `startWorkers` (jobs/workers.ts): every second, 100 messages a run. */
export function outboxJob(deps: DeliveryDeps): Job {
  return {
    name: 'outbox',
    intervalMs: OUTBOX_INTERVAL_MS,
    limit: 100,
    run: ({ database }, limit) => deliverOutbox(database, deps, limit),
  };
}

/**
 * Runs the deliverer as soon as the bus reports committed outbox messages (PostgreSQL: the outbox trigger's
 * NOTIFY), besides the job's polling. At most one such run at a time; a wake during a run triggers one more.
 */
export function wakeOnOutbox(database: Database, deps: DeliveryDeps): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await deliverOutbox(database, deps);
        } catch (error) {
          deps.log?.error({ err: error }, 'outbox delivery on wake failed');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const unsubscribe = deps.bus.onWake(run);
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      await running;
    },
  };
}
