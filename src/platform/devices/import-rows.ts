import { parse } from 'csv-parse/sync';

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

export interface ImportError {
  /** The line in the file; the header is line 1. */
  row: number;
  column: string | null;
  message: string;
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
    if (absent.length) throw new Error(`missing columns: ${absent.join(', ')}`);
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
  const bad = (column: string, message: string) => errors.push({ row, column, message });
  const get = (c: string) => (record[c] ?? '').trim();
  for (const c of required) if (!get(c)) bad(c, 'required');

  const devEui = get('devEui');
  if (devEui && !/^[0-9A-Fa-f]{16}$/.test(devEui)) bad('devEui', 'not 16 hex digits');
  const name = get('name');
  if (name.length > 200) bad('name', 'longer than 200 characters');
  const profile = get('profile');
  if (profile.length > 200) bad('profile', 'longer than 200 characters');
  const office = get('office');
  if (office.length > 100) bad('office', 'longer than 100 characters');
  const number = (c: 'lon' | 'lat', limit: number) => {
    const s = get(c);
    if (!s) return Number.NaN;
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit) bad(c, `not a number between -${limit} and ${limit}`);
    return n;
  };
  const lon = number('lon', 180);
  const lat = number('lat', 90);
  const installedOn = get('installedOn');
  if (installedOn && !validDate(installedOn)) bad('installedOn', 'not a date (YYYY-MM-DD)');
  const tags = get('tags')
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length > 20) bad('tags', 'more than 20 tags');
  else if (tags.some((t) => !tagPattern.test(t)))
    bad('tags', 'a tag has characters other than letters, digits, _ : . -');
  else if (new Set(tags).size !== tags.length) bad('tags', 'a tag is repeated');
  const interval = get('expectedIntervalS');
  let expectedIntervalS: number | null = null;
  if (interval) {
    expectedIntervalS = /^\d+$/.test(interval) ? Number(interval) : Number.NaN;
    if (!(expectedIntervalS >= 10 && expectedIntervalS <= 604_800))
      bad('expectedIntervalS', 'not a whole number of seconds between 10 and 604800');
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
