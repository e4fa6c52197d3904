import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * TypeBox validation for every route. Query strings, params and headers arrive as strings, so they
 * are converted first; declared defaults are filled in for every part. Bodies are never coerced:
 * `"yes"` is not a boolean.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (input): { value: unknown } | { error: never } => {
    let value = input;
    if (httpPart !== 'body') value = Value.Convert(schema, value);
    try {
      value = Value.Default(schema, value);
    } catch {
      // TypeBox 1.x's Default throws on some valid schemas (a Record with `additionalProperties: false`
      // given a key outside its pattern); the check below still refuses such input with a 400.
    }
    if (check.Check(value)) return { value };
    return { error: check.Errors(value) as never };
  };
};
