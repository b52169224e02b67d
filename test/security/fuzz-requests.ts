import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { type OpenApiOperation, routeParams } from '../support/matrix.ts';
import {
  fromSchema,
  garbageValue,
  HUGE,
  hugeStrings,
  type JsonSchema,
  mutated,
  mutatedFrom,
  nested,
  type SchemaContext,
} from './arbitraries.ts';

/** One generated request: everything but the session, which the test adds. */
export interface FuzzCase {
  url: string;
  label: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
const JSON_TYPE = { 'content-type': 'application/json' };

interface Body {
  label: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const json =
  (label: string) =>
  (value: unknown): Body => ({
    label,
    headers: JSON_TYPE,
    payload: JSON.stringify(value) ?? 'null',
  });

const garbageSegment = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '2147483648',
    '99999999999999999999',
    '1.5',
    '1e3',
    '0x10',
    'abc',
    '%201',
    '%00',
    '%ff',
    '%zz',
    '%',
    '%E4%B8%AD',
    '..',
    '%2e%2e%2f%2e%2e',
    '1%3BDROP%20TABLE%20units',
    'null',
    'undefined',
    'NaN',
    '%F0%9F%92%A9',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.constant('9'.repeat(5000)),
);

const garbageQuery = fc.oneof(
  fc.constantFrom(
    'a[b]=1',
    'page=1&page=2',
    '%zz=1',
    'q=%00',
    'q=%ff%fe',
    '__proto__[admin]=1',
    'constructor[prototype][x]=1',
    'within=1e400',
    'within=-1',
    'within=1&within=2',
    'pageSize=-1',
    'pageSize=100000000000000000000',
    'page=0',
    '&&&=',
    '=',
    'kind=',
    `q=${'x'.repeat(HUGE)}`,
    `q=${encodeURIComponent('街'.repeat(HUGE / 4))}`,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc
    .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4 })
    .map((d) => new URLSearchParams(d).toString()),
);

function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text;
}

/** A value as a query string: objects become key=value pairs (arrays repeat the key), anything else one pair. */
export function toQuery(value: unknown): string {
  const params = new URLSearchParams();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    params.append('x', JSON.stringify(value) ?? '');
    return params.toString();
  }
  for (const [k, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      params.append(k, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
  }
  return params.toString();
}

function querySchema(op: OpenApiOperation | undefined): JsonSchema | undefined {
  const params = (op?.parameters ?? []).filter((p) => p.in === 'query');
  if (!params.length) return undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const p of params) properties[p.name] = (p.schema ?? {}) as JsonSchema;
  const required = params.filter((p) => (p as { required?: boolean }).required).map((p) => p.name);
  return { type: 'object', properties, required };
}

function multipart(
  parts: Array<{ name: string; filename?: string; type?: string; content: Uint8Array | string }>,
  truncate: boolean,
): Body {
  const boundary = `----linliFuzz${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n`),
      Buffer.from(part.type ? `Content-Type: ${part.type}\r\n\r\n` : '\r\n'),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  if (!truncate) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    label: `multipart(${parts.length} parts${truncate ? ', truncated' : ''})`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function multipartBody(workbooks: Buffer[]): fc.Arbitrary<Body> {
  const fileName = fc.constantFrom(
    'data.xlsx',
    '../../etc/passwd',
    '导入.xlsx',
    'a"b.xlsx',
    `${'n'.repeat(500)}.xlsx`,
    '',
  );
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.concat([Buffer.from('PK\u0003\u0004'), b])),
    fc.constant(Buffer.alloc(0)),
    ...(workbooks.length ? [fc.constantFrom(...workbooks)] : []),
  );
  const filePart = fc.record({
    name: fc.constantFrom('file', 'file', 'upload', ''),
    filename: fileName,
    type: fc.constantFrom(XLSX, 'application/octet-stream', 'text/csv', ''),
    content,
  });
  const fieldPart = fc.record({ name: fc.string({ maxLength: 10 }), content: fc.string({ maxLength: 50 }) });
  return fc
    .tuple(fc.array(fc.oneof({ arbitrary: filePart, weight: 3 }, fieldPart), { maxLength: 3 }), fc.boolean())
    .map(([parts, truncate]) => multipart(parts, truncate && parts.length > 0));
}

function rawBodies(bodyLimit: number, sample: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  const text =
    (label: string, contentType: string) =>
    (payload: string | Buffer): Body => ({
      label,
      headers: contentType ? { 'content-type': contentType } : {},
      payload,
    });
  return fc.oneof(
    fc
      .oneof(
        fc.string({ maxLength: 60 }),
        sample.map((v) => (JSON.stringify(v) ?? '').slice(0, -1)),
        fc.constantFrom(
          '{',
          '{"a":',
          '[1,2',
          '{"a":1}}',
          "{'a':1}",
          '{"__proto__":{"admin":true}}',
          'NaN',
          '\ufeff{}',
          '',
        ),
      )
      .map(text('malformed JSON', 'application/json')),
    fc
      .integer({ min: 1000, max: 200_000 })
      .map((n) => text(`nested ${n}`, 'application/json')(`${'['.repeat(n)}${']'.repeat(n)}`)),
    fc
      .integer({ min: 1000, max: 100_000 })
      .map((n) => text(`nested objects ${n}`, 'application/json')(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
    fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'APPLICATION/JSON',
          'application/vnd.api+json',
          'application/jsonx',
          '*/*',
          'image/png',
        ),
        sample,
      )
      .map(([type, v]) => text(`content-type ${type}`, type)(JSON.stringify(v) ?? 'null')),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) =>
        text(
          'invalid UTF-8',
          'application/json',
        )(
          Buffer.concat([
            Buffer.from('{"name":"'),
            Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
            Buffer.from(bytes),
            Buffer.from('"}'),
          ]),
        ),
      ),
    fc.constant(text('oversized', 'application/json')(`{"name":"${'x'.repeat(bodyLimit + 10)}"}`)),
    fc.constant(text('no content type', '')('{"a":1}')),
  );
}

export interface FuzzContext extends SchemaContext {
  bodyLimit: number;
  workbooks: Buffer[];
  /** Known-good bodies by `METHOD url`, mutated too, for routes whose rules a generator rarely satisfies. */
  validBodies: Record<string, unknown>;
  /**
   * Values of real records by path parameter, keyed like PARAM_FIXTURES (`/api/calendar/days/:day`): a
   * parameter whose schema says only "string" (a day, a code) gets past validation with these.
   */
  pathValues?: Record<string, Array<string | number>>;
}

/** Generated requests for one route: path and query parameters, and (on writes) bodies of every kind. */
export function fuzzCases(
  route: RouteEntry,
  op: OpenApiOperation | undefined,
  ctx: FuzzContext,
): fc.Arbitrary<FuzzCase> {
  const pathParams = routeParams(route.url);
  const paramArbs = pathParams.map(({ name, key }) => {
    const schema = op?.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema as JsonSchema | undefined;
    const real = ctx.pathValues?.[key] ?? [];
    return fc.oneof(
      {
        arbitrary: fromSchema(schema ?? { type: 'integer', minimum: 1 }, ctx).map((v) => encodeURIComponent(String(v))),
        weight: 6,
      },
      ...(real.length
        ? [{ arbitrary: fc.constantFrom(...real).map((v) => encodeURIComponent(String(v))), weight: 3 }]
        : []),
      { arbitrary: garbageSegment, weight: 3 },
    );
  });
  const path = fc.tuple(...paramArbs).map((values) => {
    let i = 0;
    return route.url.replace(/:(\w+)/g, () => values[i++] as string);
  });
  const qSchema = querySchema(op);
  const query = qSchema
    ? fc.oneof(
        // No parameters at all: every query parameter has a default, so this reaches the handler.
        { arbitrary: fc.constant(''), weight: 2 },
        { arbitrary: fromSchema(qSchema, ctx).map(toQuery), weight: 3 },
        { arbitrary: mutated(qSchema, ctx).map(toQuery), weight: 4 },
        { arbitrary: garbageQuery, weight: 2 },
      )
    : fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, { arbitrary: garbageQuery, weight: 1 });

  const bodySchema = op?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
  const sample = bodySchema ? fromSchema(bodySchema, ctx) : fc.jsonValue({ maxDepth: 3 });
  const none: fc.Arbitrary<Body> = fc.constant({ label: 'no body', headers: {} });
  let body: fc.Arbitrary<Body>;
  if (SAFE.has(route.method)) {
    body = fc.oneof(
      { arbitrary: none, weight: 8 },
      { arbitrary: fc.jsonValue().map(json('JSON on a read')), weight: 1 },
    );
  } else if (bodySchema) {
    const valid = ctx.validBodies[`${route.method} ${route.url}`];
    const examples: Array<fc.WeightedArbitrary<Body>> =
      valid === undefined
        ? []
        : [
            { arbitrary: fc.constant(valid).map(json('known-good body')), weight: 3 },
            { arbitrary: mutatedFrom(fc.constant(valid)).map(json('known-good body, mutated')), weight: 4 },
          ];
    body = fc.oneof(
      ...examples,
      { arbitrary: fromSchema(bodySchema, ctx).map(json('schema-shaped')), weight: 3 },
      { arbitrary: mutated(bodySchema, ctx).map(json('wrong types / extra / missing fields')), weight: 8 },
      { arbitrary: fc.jsonValue().map(json('random JSON')), weight: 2 },
      { arbitrary: garbageValue.map(json('garbage value')), weight: 1 },
      { arbitrary: hugeStrings(bodySchema, ctx).map(json(`strings of ${HUGE} chars`)), weight: 1 },
      {
        arbitrary: fc
          .integer({ min: 50, max: 2000 })
          .map((d) => json(`nested field ${d}`)({ name: nested(d), geometry: nested(d) })),
        weight: 1,
      },
      { arbitrary: rawBodies(ctx.bodyLimit, sample), weight: 4 },
      { arbitrary: multipartBody(ctx.workbooks), weight: 1 },
      { arbitrary: none, weight: 1 },
    );
  } else {
    body = fc.oneof(
      { arbitrary: none, weight: 3 },
      { arbitrary: multipartBody(ctx.workbooks), weight: 5 },
      { arbitrary: fc.jsonValue().map(json('random JSON')), weight: 2 },
      { arbitrary: rawBodies(ctx.bodyLimit, sample), weight: 2 },
    );
  }
  return fc.record({ path, query, body }).map(({ path: p, query: q, body: b }) => {
    const url = q ? `${p}?${q}` : p;
    return {
      url,
      label: b.label,
      headers: b.headers,
      ...(b.payload === undefined ? {} : { payload: b.payload }),
      // Counterexamples can be megabytes: fast-check prints this instead.
      [fc.toStringMethod]: () =>
        `${route.method} ${short(url)} [${b.label}] ${JSON.stringify(b.headers)} ${short(String(b.payload ?? ''))}`,
    };
  });
}

const CELL_GARBAGE: ExcelJS.CellValue[] = [
  '',
  ' ',
  '测试',
  'x'.repeat(32_000),
  '=1/0',
  -1,
  0,
  1e308,
  2.5,
  true,
  new Date('1899-12-31T00:00:00Z'),
  new Date('2999-01-01T00:00:00Z'),
  { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellValue,
  { formula: 'A1&A1' } as ExcelJS.CellValue,
  { richText: [{ text: '富' }, { text: '文本' }] } as ExcelJS.CellValue,
  { text: 'link', hyperlink: 'javascript:alert(1)' } as ExcelJS.CellValue,
  { error: '#N/A' } as ExcelJS.CellValue,
  '110101199003070000',
  '13800138000',
  '((1,2),(3,4))',
  '{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}',
  "'; DROP TABLE units; --",
];

/** Import templates filled with garbage cells, for the upload routes. */
export async function garbageWorkbooks(templates: Buffer[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [t, template] of templates.entries()) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) continue;
    const width = Math.max(sheet.columnCount, 3);
    for (let r = 0; r < 25; r++) {
      const values: ExcelJS.CellValue[] = [];
      for (let c = 0; c < width; c++) values.push(CELL_GARBAGE[(r * 7 + c * 3 + t) % CELL_GARBAGE.length] ?? null);
      sheet.addRow(values);
    }
    out.push(Buffer.from(await workbook.xlsx.writeBuffer()));
    // The same template with its header row scrambled and a second sheet in front.
    const scrambled = new ExcelJS.Workbook();
    await scrambled.xlsx.load(template as unknown as ArrayBuffer);
    const front = scrambled.worksheets[0];
    front?.getRow(1).eachCell((cell) => {
      cell.value = '乱码';
    });
    out.push(Buffer.from(await scrambled.xlsx.writeBuffer()));
  }
  return out;
}
