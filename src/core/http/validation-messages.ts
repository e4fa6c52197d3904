import type { TValidationError } from 'typebox/error';
import { Locale as SchemaLocale } from 'typebox/system';
import type { FieldError } from '../errors.ts';
import type { Locale } from '../i18n.ts';

/**
 * Schema validation errors as field errors in the reader's language. The wording is TypeBox's own
 * locale (th_TH, en_US) applied to each error's keyword and parameters, so every keyword is covered
 * without a translation of our own; only JSON type and format names are put in Thai words. The process
 * wide TypeBox locale is left at en_US: the NGSI-LD API words its ProblemDetails in English.
 */
export function schemaFieldErrors(
  validation: readonly TValidationError[],
  part: string | undefined,
  locale: Locale,
): FieldError[] {
  const prefix = part ? `/${part}` : '';
  const word = locale === 'en' ? SchemaLocale.en_US : thai;
  const out: FieldError[] = [];
  for (const { error, keyword } of collapse(validation)) {
    // One error per missing or unknown property, at that property's path.
    const names =
      error.keyword === 'required'
        ? error.params.requiredProperties
        : error.keyword === 'additionalProperties'
          ? error.params.additionalProperties
          : null;
    if (names) {
      for (const name of names) {
        const one = {
          ...error,
          params: { [error.keyword === 'required' ? 'requiredProperties' : 'additionalProperties']: [name] },
        } as TValidationError;
        out.push(field(`${prefix}${error.instancePath}/${pointerSegment(name)}`, one, keyword, word));
      }
    } else out.push(field(`${prefix}${error.instancePath}`, error, keyword, word));
  }
  return out;
}

function field(
  path: string,
  error: TValidationError,
  keyword: string,
  word: (e: TValidationError) => string,
): FieldError {
  return { path, message: word(error), keyword, params: plain(error.params) };
}

/**
 * Drops what only repeats another error: the `false` schema behind `additionalProperties: false`, and the
 * failed branches of a union that failed as a whole. A union of constants reads as `enum` and a union of
 * types as one `type` error, the keyword staying the union's.
 */
function collapse(validation: readonly TValidationError[]): { error: TValidationError; keyword: string }[] {
  const unions = validation.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const branchesOf = (u: TValidationError) =>
    validation.filter(
      (e) =>
        e !== u &&
        e.instancePath === u.instancePath &&
        e.schemaPath.startsWith(`${u.schemaPath}/${u.keyword}/`),
    );
  const dropped = new Set(unions.flatMap(branchesOf));
  const out: { error: TValidationError; keyword: string }[] = [];
  for (const e of validation) {
    if (dropped.has(e)) continue;
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) continue;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches = branchesOf(e);
      let error: TValidationError = e;
      if (branches.length > 0 && branches.every((b) => b.keyword === 'const'))
        error = reword(e, 'enum', {
          allowedValues: branches.map((b) => (b.params as { allowedValue: unknown }).allowedValue),
        });
      else if (branches.length > 0 && branches.every((b) => b.keyword === 'type'))
        error = reword(e, 'type', {
          type: branches.flatMap((b) => (b.params as { type: string | string[] }).type),
        });
      out.push({ error, keyword: e.keyword });
      continue;
    }
    out.push({ error: e, keyword: e.keyword });
  }
  return out;
}

/** A union's error worded as an `as` error would be. */
function reword(union: TValidationError, as: 'enum' | 'type', params: object): TValidationError {
  return { ...union, keyword: as, params } as TValidationError;
}

const thaiTypes: Record<string, string> = {
  string: 'ข้อความ',
  number: 'ตัวเลข',
  integer: 'จำนวนเต็ม',
  boolean: 'ค่าจริง/เท็จ',
  array: 'อาร์เรย์',
  object: 'ออบเจกต์',
  null: 'ค่าว่าง (null)',
};

const thaiFormats: Record<string, string> = {
  email: 'อีเมล',
  date: 'วันที่ (ปปปป-ดด-วว)',
  'date-time': 'วันและเวลา (ISO 8601)',
  time: 'เวลา',
  uri: 'URL',
  url: 'URL',
  uuid: 'UUID',
};

/** TypeBox's Thai, with JSON type and format names as Thai words. */
function thai(error: TValidationError): string {
  if (error.keyword === 'type') {
    const type = error.params.type;
    const name = (t: string) => thaiTypes[t] ?? t;
    return SchemaLocale.th_TH({
      ...error,
      params: { type: typeof type === 'string' ? name(type) : type.map(name) },
    });
  }
  if (error.keyword === 'format')
    return SchemaLocale.th_TH({
      ...error,
      params: { format: thaiFormats[error.params.format] ?? error.params.format },
    });
  return SchemaLocale.th_TH(error);
}

/** A JSON Pointer segment (RFC 6901). */
function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Parameters as JSON can carry them (a pattern may be a RegExp, a limit a bigint). */
function plain(params: object): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(params, (_k, v) =>
      v instanceof RegExp ? v.source : typeof v === 'bigint' ? Number(v) : v,
    ),
  );
}
