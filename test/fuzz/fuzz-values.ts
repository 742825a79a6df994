import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations';

/** Strings that once broke something somewhere, plus the usual suspects. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude97 deal',
  '\u202eevil',
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'undefined',
  '__proto__',
  '0000-01-01',
  '-271821-04-20T00:00:00.000Z',
  '9999-12-31',
  '2026-02-30',
  'a'.repeat(5_000),
  'é'.repeat(70_000),
];

export const WRONG_TYPES: unknown[] = [0, -1, 1.5, 1e308, -1e308, true, false, null, [], [1, 'a'], {}, { a: 1 }, { $gt: '' }];

const uuid = () => '00000000-0000-4000-8000-000000000000';

const jsonCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const HOSTILE_CURSORS = [
  'x',
  '!!!',
  jsonCursor({ createdAt: '2024-01-01T00:00:00Z', id: 'x' }),
  jsonCursor({ createdAt: '-271821-04-20T00:00:00.000Z', id: uuid() }),
  jsonCursor({ createdAt: '2024-01-01T00:00:00Z', id: "' OR 1=1 --" }),
  jsonCursor({ createdAt: 42, id: [] }),
  jsonCursor(null),
  jsonCursor('string'),
  jsonCursor({ createdAt: '2024-01-01T00:00:00Z\u0000', id: uuid() }),
  Buffer.from('{"createdAt":').toString('base64url'),
  'a'.repeat(300),
];

/** A body sent as this exact text: nesting too deep for JSON.stringify to build here. */
export class RawJson {
  constructor(readonly text: string) {}
}

export const deepJson = (depth: number) => new RawJson(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);

/** Nesting past any DTO (and past the depth limit). */
export const deepValue = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
};

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const anyHostile = fc.oneof(hostileString, fc.constantFrom(...WRONG_TYPES), fc.constant(deepValue(60)));

/** Values of the schema's type, mostly valid, with edges (min/max, enum, just past the limits). */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000;
      const max = schema.maximum ?? 1_000;
      const n = schema.type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
      return fc.oneof(n, fc.constantFrom(min, max, min - 1, max + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(schema.items ?? {}), { maxLength: 4 });
    case 'object':
      return objectValue(schema);
    default: {
      const maxLength = schema.maxLength ?? 64;
      return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(maxLength, 80) }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.emailAddress(),
        fc.uuid(),
        fc.constant('x'.repeat(maxLength + 1)),
        fc.constant('correct horse battery staple'),
      );
    }
  }
}

/** A field's value: usually of its type, sometimes hostile or of the wrong type. */
const fieldValue = (schema: JsonSchema) => fc.oneof({ arbitrary: validValue(schema), weight: 5 }, { arbitrary: anyHostile, weight: 1 });

/** An object of the schema's fields (required ones mostly present), now and then with unknown or prototype keys. */
export function objectValue(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const model = Object.fromEntries(names.map((n) => [n, fieldValue(properties[n])]));
  const required = (schema.required ?? []).filter((n) => names.includes(n));
  // Mostly with every required field (so requests get past validation and into the services), now and then without.
  const fields = fc.oneof({ arbitrary: fc.record(model, { requiredKeys: required }), weight: 4 }, { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 });
  const extra = fc.oneof(
    { arbitrary: fc.constant({}), weight: 6 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), anyHostile, { maxKeys: 2 }), weight: 1 },
    { arbitrary: fc.constantFrom(JSON.parse('{"__proto__":{"admin":true}}'), { constructor: { prototype: 1 } }), weight: 1 },
  );
  return fc.tuple(fields, extra).map(([own, more]) => Object.assign(Object.create(null) as object, more, own) as Record<string, unknown>);
}

/** A whole body: an object of the schema most of the time, else something that is no object of it. */
export function bodyValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: objectValue(schema), weight: 8 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
    { arbitrary: fc.constantFrom(deepValue(40), deepJson(5_000), [], [{}], 'text', 42, null), weight: 1 },
  );
}

/** A query parameter: of its schema, hostile, or absent. */
export const queryValue = (schema: JsonSchema) => fc.option(fc.oneof(validValue(schema).map(String), hostileString), { nil: undefined });

export const cursorValue = fc.option(fc.constantFrom(...HOSTILE_CURSORS), { nil: undefined, freq: 2 });
export const limitValue = fc.option(fc.constantFrom('1', '100', '0', '-1', '101', '1e9', 'abc', '1.5', ''), { nil: undefined, freq: 2 });
export const idempotencyKey = fc.option(fc.oneof(fc.uuid(), fc.constantFrom('k', 'x'.repeat(256), 'white space', 'é')), { nil: undefined, freq: 2 });

/** What a file upload sends: plain text, binary noise, an empty file, a fake PDF or ZIP, a hostile name. */
export const uploadedFile = fc.record({
  bytes: fc.oneof(
    fc.string({ maxLength: 200 }).map((s) => Buffer.from(`Warranty notes ${s}`)),
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    fc.constantFrom(Buffer.alloc(0), Buffer.from('%PDF-1.7\n%broken'), Buffer.from('PK\u0003\u0004garbage'), Buffer.from('a\u0000b')),
  ),
  name: fc.constantFrom('notes.txt', 'price list.csv', '../../etc/passwd', 'a\u0000b.pdf', 'x'.repeat(300), 'page.html', 'CON', ''),
});
