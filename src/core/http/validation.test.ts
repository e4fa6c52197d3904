import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { validatorCompiler } from './validation.ts';

const compile = (schema: Parameters<typeof validatorCompiler>[0]['schema'], httpPart = 'body') =>
  validatorCompiler({ schema, httpPart, method: 'POST', url: '/x' });

describe('request validation', () => {
  const values = Type.Object({
    values: Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.Number(), { additionalProperties: false }),
    unit: Type.String({ default: 'm' }),
  });

  it('fills defaults and accepts a record with good keys', () => {
    expect(compile(values)({ values: { abc: 1 } })).toEqual({ value: { values: { abc: 1 }, unit: 'm' } });
  });

  it('refuses a record key outside its pattern as invalid input, not by throwing', () => {
    const result = compile(values)({ values: { "'; DROP TABLE x; --": 1 }, unit: 'm' }) as {
      error?: unknown;
    };
    expect(result.error).toBeDefined();
  });

  it('converts query strings but never bodies', () => {
    const q = Type.Object({ n: Type.Integer() });
    expect(compile(q, 'querystring')({ n: '5' })).toEqual({ value: { n: 5 } });
    expect((compile(q)({ n: '5' }) as { error?: unknown }).error).toBeDefined();
  });
});
