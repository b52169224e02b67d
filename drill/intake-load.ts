import { randomBytes } from 'node:crypto';
import type { Session } from './app.ts';
import { sleep } from './processes.ts';

/** A request the server acknowledged: answered 2xx, or 409 with `details.committed` after a crash. */
export interface Ack {
  round: number;
  key: string;
  marker: string;
  caseId: number;
  /** The case number from a 2xx answer; a committed 409 only carries the id. */
  number: string | null;
  via: 'created' | 'replayed' | 'committed';
}

export interface LoadCounters {
  /** HTTP requests sent, retries included. */
  requests: number;
  networkErrors: number;
  serverErrors: number;
  /** The 5xx answers by status, e.g. { 503: 12 }. */
  serverStatuses: Record<number, number>;
  /** 409 IDEMPOTENCY_IN_PROGRESS without `committed`: the first attempt had not finished; retried. */
  inProgress: number;
  /** Keys given up on (refused with another status, or no acknowledgement before the deadline). */
  failures: string[];
}

const RETRY_DELAY_MS = 150;
/** How long a client keeps retrying one key (the server restarts within this). */
const KEY_DEADLINE_MS = 180_000;

export const MARKER_PREFIX = 'drill-marker:';

/**
 * Console intake under load: `clients` loops, each posting `POST /api/cases` with a fresh Idempotency-Key and a
 * unique marker in the description, and retrying the same key and body on a network error, a 5xx and 409
 * IDEMPOTENCY_IN_PROGRESS until acknowledged — as the console does (web/shared/api.ts).
 */
export class IntakeLoad {
  readonly acks: Ack[] = [];
  readonly counters: LoadCounters = {
    requests: 0,
    networkErrors: 0,
    serverErrors: 0,
    serverStatuses: {},
    inProgress: 0,
    failures: [],
  };
  readonly #base: () => string;
  readonly #session: Session;
  readonly #clients: number;
  readonly #round: number;
  readonly #run = randomBytes(4).toString('hex');
  #draining = false;
  #loops: Promise<void>[] = [];
  #outstanding = 0;

  constructor(options: { base: () => string; session: Session; clients: number; round: number }) {
    this.#base = options.base;
    this.#session = options.session;
    this.#clients = options.clients;
    this.#round = options.round;
  }

  start(): void {
    for (let client = 0; client < this.#clients; client++) this.#loops.push(this.#loop(client));
  }

  /** Keys sent and not yet acknowledged (at the moment of a kill: the requests caught by it). */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** No new keys from now on; the outstanding ones are retried until acknowledged. */
  drain(): void {
    this.#draining = true;
  }

  /** Resolves once every client has settled its last key. */
  async finished(): Promise<void> {
    this.drain();
    await Promise.all(this.#loops);
  }

  async #loop(client: number) {
    for (let seq = 0; !this.#draining; seq++) {
      const key = `drill-${this.#run}-r${this.#round}-c${client}-${seq}`;
      const marker = `${MARKER_PREFIX}${key}`;
      this.#outstanding++;
      try {
        await this.#settle(key, marker);
      } finally {
        this.#outstanding--;
      }
    }
  }

  async #settle(key: string, marker: string) {
    const body = JSON.stringify({
      channel: 'hotline',
      title: `演练来电 ${key}`,
      description: `崩溃演练受理，标记 ${marker} 。`,
    });
    const deadline = Date.now() + KEY_DEADLINE_MS;
    while (Date.now() < deadline) {
      this.counters.requests++;
      let status: number;
      let json: any;
      let replayed = false;
      try {
        const response = await fetch(`${this.#base()}/api/cases`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: this.#session.cookie,
            'x-csrf-token': this.#session.csrf,
            'idempotency-key': key,
          },
          body,
          signal: AbortSignal.timeout(20_000),
        });
        status = response.status;
        replayed = response.headers.get('idempotent-replayed') === 'true';
        const text = await response.text();
        json = text ? JSON.parse(text) : null;
      } catch {
        this.counters.networkErrors++;
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      if (status === 201 || status === 200) {
        const c = json?.case;
        if (typeof c?.id !== 'number') {
          this.counters.failures.push(`${key}: ${status} without a case id`);
          return;
        }
        this.acks.push({
          round: this.#round,
          key,
          marker,
          caseId: c.id,
          number: c.number ?? null,
          via: replayed ? 'replayed' : 'created',
        });
        return;
      }
      if (status === 409 && json?.error?.code === 'IDEMPOTENCY_IN_PROGRESS') {
        const details = json.error.details;
        const caseId = details?.reference?.caseId;
        if (details?.committed === true && typeof caseId === 'number') {
          this.acks.push({ round: this.#round, key, marker, caseId, number: null, via: 'committed' });
          return;
        }
        this.counters.inProgress++;
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      if (status >= 500) {
        this.counters.serverErrors++;
        this.counters.serverStatuses[status] = (this.counters.serverStatuses[status] ?? 0) + 1;
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      this.counters.failures.push(`${key}: ${status} ${json?.error?.code ?? ''} ${json?.error?.message ?? ''}`);
      return;
    }
    this.counters.failures.push(`${key}: not acknowledged within ${KEY_DEADLINE_MS / 1000} s`);
  }
}
