/**
 * The web apps' one way to call the API: JSON in and out, the session cookie sent by the browser, the
 * CSRF token from the session added to every unsafe request, and failures raised as ApiError carrying
 * the server's error code (translated through the catalogues as `errors.<code>`).
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

export async function api<T>(method: string, url: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string>) };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(url, {
    ...init,
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    const parsed = type.includes('json') ? ((await response.json()) as Partial<ErrorBody>) : {};
    const error = new ApiError(response.status, parsed.error ?? {});
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
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
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
