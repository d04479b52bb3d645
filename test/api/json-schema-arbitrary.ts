/**
 * fast-check arbitraries from a route's zod schema, through its JSON Schema (`z.toJSONSchema`, the
 * same document OpenAPI serves): values that follow the schema, so fuzzing reaches the handlers,
 * not only the validators. Covers what the route table uses: objects (required and optional
 * properties), arrays with bounds, strings with lengths, patterns, formats and enums, integers and
 * numbers with bounds, booleans, const, anyOf/oneOf, records. Anything else is any JSON value.
 */
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = Record<string, any>;

export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fromJsonSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, 0);
}

function fromJsonSchema(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...(union as JsonSchema[]).map((u) => fromJsonSchema(u, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 8 }), depth > 3 ? fc.string() : fromJsonSchema(s.additionalProperties ?? {}, depth + 1), { maxKeys: 4 });
      const required = new Set<string>(s.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(s.properties as Record<string, JsonSchema>)) shape[key] = fromJsonSchema(property, depth + 1);
      return fc.record(shape, { requiredKeys: [...required] as never[] });
    }
    case 'array':
      return fc.array(fromJsonSchema(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) });
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      if (s.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 12, 12) });
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6), max: Math.min(s.maximum ?? 1e6, 1e6) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
