import fc from 'fast-check';

/**
 * fast-check generators driven by the OpenAPI document the server publishes (itself generated from the Zod
 * schemas): bodies and parameters that look like what a route expects, then garbage in every flavour.
 */
export type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  [key: string]: unknown;
};

export interface SchemaContext {
  /** The whole OpenAPI document, for `$ref`s into components. */
  spec: unknown;
  /** Ids of existing records, so generated references sometimes point at something real. */
  knownIds: number[];
}

function resolveRef(ref: string, root: unknown): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node as JsonSchema | undefined;
}

const DATE = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern, 'u'), { maxLength: 40 });
    } catch {
      // A pattern fast-check cannot reverse: fall through to plain strings.
    }
  }
  if (s.format === 'date') return DATE.map((d) => d.slice(0, 10));
  if (s.format === 'date-time') return DATE;
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 30, 60));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.constantFrom('甲社区', '张三', '13800138000', '110101199003070000'),
  );
}

function numberArbitrary(s: JsonSchema, integer: boolean, ctx: SchemaContext): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum === undefined ? -1_000_000 : s.exclusiveMinimum + (integer ? 1 : 1e-9));
  const hi = s.maximum ?? (s.exclusiveMaximum === undefined ? 1_000_000 : s.exclusiveMaximum - (integer ? 1 : 1e-9));
  const min = Math.max(lo, -2_147_483_648);
  const max = Math.min(hi, 2_147_483_647);
  const inRange = ctx.knownIds.filter((id) => id >= min && id <= max);
  const base = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) })
    : fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
  return inRange.length ? fc.oneof({ arbitrary: fc.constantFrom(...inRange), weight: 3 }, base) : base;
}

/** Values that satisfy the schema most of the time (patterns, formats and cross-field rules aside). */
export function fromSchema(schema: JsonSchema | undefined, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object' || depth > 8) return fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref) return fromSchema(resolveRef(schema.$ref, ctx.spec), ctx, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, ctx, depth + 1)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0], ctx, depth + 1);
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type) => fromSchema({ ...schema, type }, ctx, depth)));
  }
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true, ctx);
    case 'number':
      return numberArbitrary(schema, false, ctx);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (schema.prefixItems?.length) {
        return fc.tuple(...schema.prefixItems.map((s) => fromSchema(s, ctx, depth + 1)));
      }
      const item = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      const minLength = Math.min(schema.minItems ?? 0, 10);
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 6));
      return fc.array(fromSchema(item, ctx, depth + 1), { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      if (!schema.properties && schema.type === undefined) return fc.jsonValue({ maxDepth: 2 });
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, s] of Object.entries(schema.properties ?? {})) shape[key] = fromSchema(s, ctx, depth + 1);
      const record = fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k) => k in shape) });
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const extra = fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          fromSchema(schema.additionalProperties, ctx, depth + 1),
          { maxKeys: 3 },
        );
        return fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

export const HUGE = 100_000;

/** Single values that break things: wrong types, edge numbers, hostile strings. */
export const garbageValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    -0,
    1.5,
    2_147_483_648,
    -2_147_483_649,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    5e-324,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\uffff',
    '\u202e\u0645\u0631\u062d\u0628\u0627',
    "'; DROP TABLE units; --",
    '%',
    '_',
    '\\',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '9'.repeat(400),
    '1e400',
    'NaN',
    'Infinity',
    '2026-02-30',
    '0000-00-00',
    '-infinity',
    '((1,2),(3,4))',
    '{}',
    '[]',
    [],
    {},
    [null],
    { __proto__: { admin: true } },
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('x'.repeat(HUGE)),
  fc.constant('街'.repeat(HUGE / 4)),
  fc.integer({ min: 1, max: 400 }).map((d) => nested(d)),
);

/** Arrays nested `depth` levels deep around a value. */
export function nested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const hostileKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'version', 'createdAt', 'path', 'passwordHash', ''),
);

type Mutation =
  | { op: 'set'; key: string; value: unknown }
  | { op: 'setExisting'; index: number; value: unknown }
  | { op: 'drop'; index: number }
  | { op: 'wrap' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('setExisting' as const), index: fc.nat(), value: garbageValue }),
    weight: 5,
  },
  { arbitrary: fc.record({ op: fc.constant('set' as const), key: hostileKey, value: garbageValue }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('drop' as const), index: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('wrap' as const) }), weight: 1 },
);

function applyMutations(value: unknown, mutations: Mutation[]): unknown {
  let current = value;
  for (const m of mutations) {
    if (m.op === 'wrap') {
      current = [current];
      continue;
    }
    if (current === null || typeof current !== 'object' || Array.isArray(current)) continue;
    const obj = { ...(current as Record<string, unknown>) };
    const keys = Object.keys(obj);
    if (m.op === 'set') {
      Object.defineProperty(obj, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    } else if (keys.length) {
      const key = keys[m.index % keys.length] as string;
      if (m.op === 'drop') delete obj[key];
      else obj[key] = m.value;
    }
    current = obj;
  }
  return current;
}

/** A schema-shaped value with some fields replaced by garbage, some dropped, some unknown ones added. */
export function mutated(schema: JsonSchema | undefined, ctx: SchemaContext): fc.Arbitrary<unknown> {
  return mutatedFrom(fromSchema(schema, ctx));
}

/** Values of `base` with some fields replaced by garbage, some dropped, some unknown ones added. */
export function mutatedFrom(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([value, mutations]) => applyMutations(value, mutations));
}

/** Every top-level string property of an object schema set to a huge string. */
export function hugeStrings(schema: JsonSchema | undefined, ctx: SchemaContext): fc.Arbitrary<unknown> {
  return fromSchema(schema, ctx).map((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'x'.repeat(HUGE);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? 'y'.repeat(HUGE) : v;
    return out;
  });
}
