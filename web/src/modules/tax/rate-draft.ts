/**
 * A tax year's rates as the screen edits them: the API's record with every number held as the text
 * typed, so a half-typed "0." survives a render. Fields are named by the JSON pointer the API uses in
 * its problems (`/landBuilding/other/0/ratePercent`), so the form's and the server's errors share keys.
 */
export interface Band {
  fromBaht: number;
  ratePercent: number;
}
export type LateRule = { surchargePercentPerMonth: number; penaltyPercent: number };
export interface RateRecord {
  landBuilding: {
    agriculture: Band[];
    residentialMainHome: Band[];
    residentialOther: Band[];
    other: Band[];
    vacant: Band[];
    vacantSurchargePercentPer3Years: number;
    vacantMaxPercent: number;
    exemptions: {
      mainHomeOwnerOfLandAndBuilding: number;
      mainHomeBuildingOnly: number;
      agricultureIndividual: number;
    };
  };
  sign: { per500cm2: Record<'1' | '2' | '3', { moving: number; static: number }>; minimumBaht: number };
  late: {
    landBuilding: LateRule;
    sign: LateRule & {
      lateFilingPercent: number;
      lateFilingBeforeNoticePercent: number;
      understatementPercent: number;
    };
  };
  instalments: { minimumBaht: number; count: number };
  reductionPercent: number;
  source: string;
}
export interface RateYear extends RateRecord {
  taxYear: number;
  updatedAt: string;
  updatedBy: string | null;
  bills: number;
}
export interface RateYearSummary {
  taxYear: number;
  source: string;
  updatedAt: string;
  updatedBy: string | null;
  bills: number;
}

export const bandTables = [
  'agriculture',
  'residentialMainHome',
  'residentialOther',
  'other',
  'vacant',
] as const;
export type BandTable = (typeof bandTables)[number];

/** The law's ceilings (percent), shown beside each table; the server refuses a rate above them. */
export const ceilings: Record<BandTable, number> = {
  agriculture: 0.15,
  residentialMainHome: 0.3,
  residentialOther: 0.3,
  other: 1.2,
  vacant: 1.2,
};

export type Draft = string | Draft[] | { [key: string]: Draft };

/** Only the record's fields (not who changed it, nor its bills), numbers as text. */
export function toDraft(r: RateRecord): Draft {
  const { landBuilding, sign, late, instalments, reductionPercent, source } = r;
  const text = (v: unknown): Draft =>
    Array.isArray(v)
      ? v.map(text)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x)]))
        : String(v);
  return text({ landBuilding, sign, late, instalments, reductionPercent, source });
}

const parts = (path: string) => path.split('/').slice(1);

export function getAt(d: Draft, path: string): Draft {
  return parts(path).reduce<Draft>((x, k) => (x as Record<string, Draft>)[k], d);
}

/** A copy of `d` with `value` at `path`. */
export function setAt(d: Draft, path: string, value: Draft): Draft {
  const out = structuredClone(d);
  const keys = parts(path);
  const parent = keys.slice(0, -1).reduce<Draft>((x, k) => (x as Record<string, Draft>)[k], out);
  (parent as Record<string, Draft>)[keys[keys.length - 1]] = value;
  return out;
}

/** "5,000,000" and "5 000 000" read as 5000000; empty or not a number is undefined. */
export function readNumber(text: string): number | undefined {
  const s = text.replace(/[,\s]/g, '');
  if (s === '' || !/^-?\d*\.?\d+$|^-?\d+\.$/.test(s)) return undefined;
  return Number(s);
}

/**
 * The record to send, or the fields that are not numbers (pointer → i18n key). The law's limits are
 * the server's to check (422, beside the same fields), so one rule set decides.
 */
export function fromDraft(d: Draft): { record?: RateRecord; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const walk = (x: Draft, path: string): unknown => {
    if (Array.isArray(x)) return x.map((v, i) => walk(v, `${path}/${i}`));
    if (typeof x === 'object')
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v, `${path}/${k}`)]));
    if (path === '/source') return x.trim();
    const n = readNumber(x);
    if (n === undefined) errors[path] = 'tax.rates.errors.number';
    return n;
  };
  const record = walk(d, '') as RateRecord;
  return Object.keys(errors).length ? { errors } : { record, errors };
}
