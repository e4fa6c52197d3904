import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';

/** The columns of a device import, in the order the documentation and the web hint name them. */
export const importColumns = [
  'devEui',
  'name',
  'profile',
  'office',
  'lon',
  'lat',
  'installedOn',
  'tags',
  'expectedIntervalS',
] as const;
const required = ['devEui', 'name', 'profile', 'lon', 'lat'] as const;

/** At most this many rows in one file: a city network is thousands, not millions. */
export const maxImportRows = 20_000;

/**
 * Why a row was refused: a stable code (the web app says it in Thai or English) and the English
 * sentence for integrators and logs.
 */
const reasons = {
  required: () => 'required',
  hex16: () => 'not 16 hex digits',
  too_long: (p) => `longer than ${p.max} characters`,
  number_range: (p) => `not a number between -${p.limit} and ${p.limit}`,
  date: () => 'not a date (YYYY-MM-DD)',
  too_many_tags: (p) => `more than ${p.max} tags`,
  tag_characters: () => 'a tag has characters other than letters, digits, _ : . -',
  tag_repeated: () => 'a tag is repeated',
  interval_range: () => 'not a whole number of seconds between 10 and 604800',
  no_profile: () => 'no such device profile',
  no_office: () => 'no such office',
  own_office: () => 'you register devices for your own office only',
  same_dev_eui: (p) => `the same DevEUI is on line ${p.line}`,
  registered: (p) => `DevEUI ${p.devEui} is registered already`,
  outside: () => 'the place is outside the municipality',
} satisfies Record<string, (p: Record<string, string | number>) => string>;
export type ImportErrorCode = keyof typeof reasons;

export interface ImportError {
  /** The line in the file; the header is line 1. */
  row: number;
  column: string | null;
  code: ImportErrorCode;
  /** The values the sentence names (a length, a line, a DevEUI). */
  params?: Record<string, string | number>;
  message: string;
}

export function importError(
  row: number,
  column: string | null,
  code: ImportErrorCode,
  params?: Record<string, string | number>,
): ImportError {
  const message = (reasons[code] as (p: Record<string, string | number>) => string)(params ?? {});
  return params ? { row, column, code, params, message } : { row, column, code, message };
}

export interface ImportRow {
  row: number;
  devEui: string;
  name: string;
  /** A profile's name or id, resolved by the job. */
  profile: string;
  /** An office's code or id; empty: the importer's own office. */
  office: string | null;
  lon: number;
  lat: number;
  installedOn: string | null;
  tags: string[];
  expectedIntervalS: number | null;
}

const tagPattern = /^[\p{L}\p{N}_:.-]{1,50}$/u;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the CSV text; a file that is not CSV or lacks a required column throws with the reason. */
export function importRecords(text: string): Record<string, string>[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as Record<string, string>[];
  if (records.length) {
    const absent = required.filter((c) => !(c in records[0]));
    if (absent.length)
      throw AppError.badRequest(
        'request.malformed',
        msg('request.missing_columns', { columns: absent.join(', ') }),
      );
  }
  return records;
}

const validDate = (s: string) => {
  if (!datePattern.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/**
 * Checks one record on its own, reporting every bad column (not only the first). What needs the
 * database (profile, office, zone, DevEUI already registered) is the job's.
 */
export function checkRecord(
  record: Record<string, string>,
  row: number,
): { row: ImportRow } | { errors: ImportError[] } {
  const errors: ImportError[] = [];
  const bad = (column: string, code: ImportErrorCode, params?: Record<string, string | number>) =>
    errors.push(importError(row, column, code, params));
  const get = (c: string) => (record[c] ?? '').trim();
  for (const c of required) if (!get(c)) bad(c, 'required');

  const devEui = get('devEui');
  if (devEui && !/^[0-9A-Fa-f]{16}$/.test(devEui)) bad('devEui', 'hex16');
  const name = get('name');
  if (name.length > 200) bad('name', 'too_long', { max: 200 });
  const profile = get('profile');
  if (profile.length > 200) bad('profile', 'too_long', { max: 200 });
  const office = get('office');
  if (office.length > 100) bad('office', 'too_long', { max: 100 });
  const number = (c: 'lon' | 'lat', limit: number) => {
    const s = get(c);
    if (!s) return Number.NaN;
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit) bad(c, 'number_range', { limit });
    return n;
  };
  const lon = number('lon', 180);
  const lat = number('lat', 90);
  const installedOn = get('installedOn');
  if (installedOn && !validDate(installedOn)) bad('installedOn', 'date');
  const tags = get('tags')
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length > 20) bad('tags', 'too_many_tags', { max: 20 });
  else if (tags.some((t) => !tagPattern.test(t))) bad('tags', 'tag_characters');
  else if (new Set(tags).size !== tags.length) bad('tags', 'tag_repeated');
  const interval = get('expectedIntervalS');
  let expectedIntervalS: number | null = null;
  if (interval) {
    expectedIntervalS = /^\d+$/.test(interval) ? Number(interval) : Number.NaN;
    if (!(expectedIntervalS >= 10 && expectedIntervalS <= 604_800))
      bad('expectedIntervalS', 'interval_range');
  }
  if (errors.length) return { errors };
  return {
    row: {
      row,
      devEui: devEui.toLowerCase(),
      name,
      profile,
      office: office || null,
      lon,
      lat,
      installedOn: installedOn || null,
      tags,
      expectedIntervalS,
    },
  };
}
