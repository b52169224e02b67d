import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/database.ts';
import type { SenderLogger } from './senders.ts';

/** One new inbox entry, pushed live to its account's open streams. */
export interface LiveNotification {
  /** The inbox entry (notifications.id) of this account. */
  id: number;
  accountId: number;
  topic: string;
  title: string;
  body: string;
  caseId: number | null;
  callRequestId: number | null;
  createdAt: string;
}

export type NotificationListener = (notification: LiveNotification) => void;

/**
 * Live fan-out of new inbox entries to the streams open on this instance. `publish` reaches every instance;
 * each instance hands a message to the listeners of that account only. Messages are a hint to refresh: the
 * inbox (the notifications table) stays the truth, so a message lost while a connection is down only means
 * the client sees it on its next fetch.
 */
export interface NotificationBus {
  publish(notifications: LiveNotification[]): Promise<void>;
  subscribe(accountId: number, listener: NotificationListener): () => void;
  /** Called when new outbox messages were committed (on any instance), so the deliverer can run at once. */
  onWake(listener: () => void): () => void;
  /** The server's logger, once the server exists (the bus is made before it). */
  attachLogger?(log: SenderLogger): void;
  close(): Promise<void>;
}

/** One process, one database connection (the embedded database): an EventEmitter is the whole bus. */
export class InProcessNotificationBus implements NotificationBus {
  readonly #emitter = new EventEmitter();
  constructor() {
    this.#emitter.setMaxListeners(0);
  }
  async publish(notifications: LiveNotification[]): Promise<void> {
    for (const n of notifications) this.#emitter.emit(`account:${n.accountId}`, n);
  }
  subscribe(accountId: number, listener: NotificationListener): () => void {
    const event = `account:${accountId}`;
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }
  #stopListening: (() => Promise<void>) | null = null;
  /**
   * Wakes the deliverer whenever a transaction that wrote outbox messages commits: the outbox trigger's NOTIFY,
   * heard on the embedded database's own connection (without it, delivery waits for the job's next poll).
   */
  async listenForOutbox(database: Database): Promise<void> {
    if (database.listen) this.#stopListening = await database.listen(OUTBOX_CHANNEL, () => this.wake());
  }
  /** Nudges the deliverer. */
  wake(): void {
    this.#emitter.emit('wake');
  }
  onWake(listener: () => void): () => void {
    this.#emitter.on('wake', listener);
    return () => this.#emitter.off('wake', listener);
  }
  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
    await this.#stopListening?.().catch(() => {});
    this.#stopListening = null;
  }
}

export const NOTIFICATIONS_CHANNEL = 'linli_notifications';
export const OUTBOX_CHANNEL = 'linli_outbox';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below. */
const MAX_PAYLOAD_BYTES = 7000;
const MAX_TITLE_CHARS = 120;

/** The wire format: what the entries of one outbox message share, and [accountId, notificationId] pairs. */
interface WireMessage {
  t: string;
  ti: string;
  b: string;
  c: number | null;
  r: number | null;
  at: string;
  n: Array<[number, number]>;
}

function wireMessages(notifications: LiveNotification[]): string[] {
  const groups = new Map<string, WireMessage>();
  for (const n of notifications) {
    const title = [...n.title].slice(0, MAX_TITLE_CHARS).join('');
    const common = { t: n.topic, ti: title, b: n.body.slice(0, 200), c: n.caseId, r: n.callRequestId, at: n.createdAt };
    const key = JSON.stringify(common);
    let group = groups.get(key);
    if (!group) {
      group = { ...common, n: [] };
      groups.set(key, group);
    }
    group.n.push([n.accountId, n.id]);
  }
  const payloads: string[] = [];
  for (const group of groups.values()) {
    const base = Buffer.byteLength(JSON.stringify({ ...group, n: [] }));
    let chunk: Array<[number, number]> = [];
    let size = base;
    for (const pair of group.n) {
      const pairSize = Buffer.byteLength(JSON.stringify(pair)) + 1;
      if (chunk.length > 0 && size + pairSize > MAX_PAYLOAD_BYTES) {
        payloads.push(JSON.stringify({ ...group, n: chunk }));
        chunk = [];
        size = base;
      }
      chunk.push(pair);
      size += pairSize;
    }
    if (chunk.length > 0) payloads.push(JSON.stringify({ ...group, n: chunk }));
  }
  return payloads;
}

function parseWire(payload: string): LiveNotification[] {
  const m = JSON.parse(payload) as WireMessage;
  if (!Array.isArray(m.n)) return [];
  return m.n.map(([accountId, id]) => ({
    id,
    accountId,
    topic: m.t,
    title: m.ti,
    body: m.b,
    caseId: m.c,
    callRequestId: m.r,
    createdAt: m.at,
  }));
}

export interface PostgresBusOptions {
  /** The server's URL: the bus keeps one dedicated connection there for LISTEN. */
  databaseUrl: string;
  log?: SenderLogger;
  /** First reconnect delay; doubles up to 30 s while the server stays away. */
  reconnectDelayMs?: number;
}

/**
 * Several instances on one PostgreSQL server: `publish` is a NOTIFY (sent through the shared pool), and every
 * instance LISTENs on a dedicated connection and fans the messages out to its own streams. A dropped
 * connection is re-established with back-off.
 */
export class PostgresNotificationBus implements NotificationBus {
  readonly #database: Database;
  readonly #options: PostgresBusOptions;
  readonly #local = new InProcessNotificationBus();
  #log: SenderLogger | undefined;
  #client: pg.Client | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #delay: number;

  constructor(database: Database, options: PostgresBusOptions) {
    this.#database = database;
    this.#options = options;
    this.#log = options.log;
    this.#delay = options.reconnectDelayMs ?? 1000;
  }

  /** The server's logger, once the server exists. */
  attachLogger(log: SenderLogger) {
    this.#log = log;
  }

  /** Connects and starts listening; resolves once messages published from now on will arrive. */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#options.databaseUrl, connectionTimeoutMillis: 10_000 });
    client.on('notification', (message) => this.#receive(message.channel, message.payload));
    client.on('error', (error) => {
      this.#log?.warn({ err: error }, 'notification listener connection failed');
      this.#dropped(client);
    });
    client.on('end', () => this.#dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATIONS_CHANNEL}`);
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#delay = this.#options.reconnectDelayMs ?? 1000;
  }

  #dropped(client: pg.Client) {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(async () => {
      this.#retry = undefined;
      try {
        await this.#connect();
        this.#log?.info('notification listener reconnected');
        // Messages may have been missed while away: let the deliverer look at the outbox now.
        this.#local.wake();
      } catch (error) {
        this.#log?.warn({ err: error }, 'notification listener could not reconnect');
        this.#delay = Math.min(this.#delay * 2, 30_000);
        this.#scheduleReconnect();
      }
    }, this.#delay);
    this.#retry.unref();
  }

  #receive(channel: string, payload: string | undefined) {
    if (channel === OUTBOX_CHANNEL) {
      this.#local.wake();
      return;
    }
    if (channel !== NOTIFICATIONS_CHANNEL || !payload) return;
    try {
      void this.#local.publish(parseWire(payload));
    } catch (error) {
      this.#log?.warn({ err: error }, 'unreadable notification message');
    }
  }

  async publish(notifications: LiveNotification[]): Promise<void> {
    for (const payload of wireMessages(notifications)) {
      await sql`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, ${payload})`.execute(this.#database.db);
    }
  }

  subscribe(accountId: number, listener: NotificationListener): () => void {
    return this.#local.subscribe(accountId, listener);
  }

  onWake(listener: () => void): () => void {
    return this.#local.onWake(listener);
  }

  /** True while the LISTEN connection is up (for health checks and tests). */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    const client = this.#client;
    this.#client = undefined;
    await this.#local.close();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

/**
 * The bus for this process: PostgreSQL LISTEN/NOTIFY on the server (so every instance's streams hear every
 * delivery), an in-process emitter on the embedded database.
 */
export async function createNotificationBus(
  database: Database,
  databaseUrl: string | undefined,
  log?: SenderLogger,
): Promise<NotificationBus> {
  if (database.kind !== 'postgres' || !databaseUrl) {
    const bus = new InProcessNotificationBus();
    await bus.listenForOutbox(database);
    return bus;
  }
  const bus = new PostgresNotificationBus(database, { databaseUrl, log });
  await bus.start();
  return bus;
}
