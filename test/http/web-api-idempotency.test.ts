import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ActionKey, ApiError, api, post } from '../../web/shared/api.ts';

/** The web apps' fetch helper, without a browser: fetch is replaced by a script of answers. */
const realFetch = globalThis.fetch;
interface Seen {
  url: string;
  method: string;
  key: string | undefined;
}

function script(...answers: Array<Response | Error>) {
  const seen: Seen[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    seen.push({ url, method: String(init.method), key: headers['idempotency-key'] });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return seen;
}
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const inProgress = () => json(409, { error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: 'retry', requestId: 'r1' } });

describe('web fetch helper: Idempotency-Key', () => {
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  test('every POST carries a fresh key; other methods carry none', async () => {
    const seen = script(json(201, { ok: 1 }), json(201, { ok: 2 }), json(200, {}), json(200, {}));
    await post('/api/me/cases', { description: 'a' });
    await post('/api/me/cases', { description: 'a' });
    await api('GET', '/api/me/cases');
    await api('PATCH', '/api/units/1', {});
    assert.match(seen[0]!.key ?? '', /^[\x21-\x7e]{1,255}$/);
    assert.notEqual(seen[0]!.key, seen[1]!.key);
    assert.equal(seen[2]!.key, undefined);
    assert.equal(seen[3]!.key, undefined);
  });

  test('a lost answer and a request still in progress are retried with the same key', async () => {
    const seen = script(new TypeError('network down'), inProgress(), json(201, { case: { id: 7 } }));
    const body = await post<{ case: { id: number } }>('/api/cases', { title: 'x' });
    assert.equal(body.case.id, 7);
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen.map((s) => s.key)).size, 1);
  });

  test('a definite refusal is not retried; sign-in is never retried', async () => {
    const seen = script(json(400, { error: { code: 'VALIDATION_FAILED', message: 'no', requestId: 'r' } }));
    await assert.rejects(post('/api/cases', {}), (e) => e instanceof ApiError && e.code === 'VALIDATION_FAILED');
    assert.equal(seen.length, 1);
    const login = script(new TypeError('network down'));
    await assert.rejects(post('/api/auth/login', {}), TypeError);
    assert.equal(login.length, 1);
  });

  test('ActionKey: the same key while the outcome is unknown and the input unchanged, else a new one', () => {
    const action = new ActionKey();
    const input = { description: '楼道灯坏了' };
    const first = action.for(input);
    action.settle(new TypeError('network down'));
    assert.equal(action.for({ ...input }), first, 'tapped again after a lost answer');
    action.settle(new ApiError(409, { code: 'IDEMPOTENCY_IN_PROGRESS' }));
    assert.equal(action.for(input), first);
    const edited = action.for({ description: '楼道灯坏了三天' });
    assert.notEqual(edited, first, 'changed input is a new action');
    action.settle(new ApiError(400, { code: 'VALIDATION_FAILED' }));
    assert.notEqual(action.for({ description: '楼道灯坏了三天' }), edited, 'after a refusal, a new action');
    const before = action.for(input);
    action.settle();
    assert.notEqual(action.for(input), before, 'after success, a new action');
  });
});
