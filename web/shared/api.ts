/**
 * The web apps' one way to call the API: JSON in and out, the session cookie sent by the browser, the
 * CSRF token from the session added to every unsafe request, and failures raised as ApiError carrying
 * the server's error code (translated through the catalogues as `errors.<code>`). Every POST carries an
 * Idempotency-Key and is retried with it when the outcome is unknown (see `api`).
 */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  constructor(status: number, body: Partial<ErrorBody['error']>) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? 'INTERNAL';
    this.details = body.details;
    this.requestId = body.requestId;
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when any request finds the session gone (401), so the app can show the sign-in page. */
export function onUnauthenticated(listener: Listener) {
  unauthenticatedListeners.add(listener);
  return (): void => {
    unauthenticatedListeners.delete(listener);
  };
}

/** A fresh Idempotency-Key: a UUID (crypto.getRandomValues where randomUUID is missing, outside HTTPS). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One key for one user action (a report, an intake), sent again whenever the action is retried — by `api` below
 * or by the person tapping again after a failure — so the server creates it once. Once the server has given a
 * definite answer (success, or a refusal to correct) the next attempt is a new action with a new key, and so is
 * an attempt with changed input (the server would refuse the old key with another body: 422).
 */
export class ActionKey {
  #key = newIdempotencyKey();
  #sent: string | undefined;
  /** The key to send `input` with. */
  for(input: unknown): string {
    const text = JSON.stringify(input);
    if (this.#sent !== undefined && this.#sent !== text) this.#key = newIdempotencyKey();
    this.#sent = text;
    return this.#key;
  }
  /** Call with the outcome of an attempt: only an unknown outcome keeps the key for the next one. */
  settle(error?: unknown) {
    const unknownOutcome =
      error !== undefined &&
      (!(error instanceof ApiError) || error.status >= 500 || error.code === 'IDEMPOTENCY_IN_PROGRESS');
    if (unknownOutcome) return;
    this.#key = newIdempotencyKey();
    this.#sent = undefined;
  }
}

/** Retries of one POST with the same key: when the network failed, the server was unavailable or still busy. */
const RETRY_DELAYS_MS = [500, 1000, 2000];
const retryable = (status: number, code: string | undefined) =>
  status === 502 || status === 503 || status === 504 || (status === 409 && code === 'IDEMPOTENCY_IN_PROGRESS');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ApiInit extends RequestInit {
  /** The Idempotency-Key of a POST; a fresh one per call when not given (see ActionKey). */
  idempotencyKey?: string;
}

export async function api<T>(method: string, url: string, body?: unknown, init: ApiInit = {}): Promise<T> {
  const { idempotencyKey, ...rest } = init;
  const headers: Record<string, string> = { accept: 'application/json', ...(rest.headers as Record<string, string>) };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // Every POST carries an Idempotency-Key, so that it can be retried safely with the same key. Sign-in routes
  // ignore the key, so they are never retried here.
  const idempotent = method === 'POST';
  if (idempotent) headers['idempotency-key'] = idempotencyKey ?? newIdempotencyKey();
  const retries = idempotent && !url.startsWith('/api/auth/') ? RETRY_DELAYS_MS : [];
  const send = () =>
    fetch(url, {
      ...rest,
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
  let response: Response;
  let parsedError: Partial<ErrorBody> | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      response = await send();
    } catch (error) {
      // No answer (offline, connection cut, server restarting): the outcome is unknown; the same key is safe.
      if (attempt >= retries.length || rest.signal?.aborted) throw error;
      await sleep(retries[attempt] ?? 0);
      continue;
    }
    parsedError = undefined;
    if (response.ok) break;
    const type = response.headers.get('content-type') ?? '';
    parsedError = type.includes('json') ? ((await response.json()) as Partial<ErrorBody>) : {};
    if (attempt >= retries.length || !retryable(response.status, parsedError.error?.code)) break;
    await sleep(retries[attempt] ?? 0);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    const error = new ApiError(response.status, parsedError?.error ?? {});
    if (response.status === 401 && !url.startsWith('/api/auth/')) for (const l of unauthenticatedListeners) l();
    throw error;
  }
  if (type.includes('json')) {
    const data = (await response.json()) as T & { session?: { csrfToken?: string } };
    if (data && typeof data === 'object' && data.session?.csrfToken) setCsrfToken(data.session.csrfToken);
    return data;
  }
  return (await response.blob()) as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown, idempotencyKey?: string) =>
  api<T>('POST', url, body ?? {}, idempotencyKey ? { idempotencyKey } : {});
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const del = <T>(url: string) => api<T>('DELETE', url);

/** Query string from an object, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

export interface SessionInfo {
  accountId: number;
  kind: 'staff' | 'resident';
  displayName: string;
  username: string | null;
  personId: number | null;
  permissions: string[];
  grants: Array<{
    roleCode: string;
    roleName: string;
    roleNameEn: string | null;
    unitId: number;
    unitName: string;
    unitKind: string;
    scope: 'all' | 'subtree' | 'unit' | 'own';
  }>;
  csrfToken: string;
  mustChangePassword: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
