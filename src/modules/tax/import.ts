import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { type Static, type TObject, Type } from 'typebox';
import { Value } from 'typebox/value';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { BoundaryError, type Polygons, readBoundaryText } from './boundary.ts';
import { type RowReason, reason, schemaReason } from './import-reasons.ts';
import { DeedKind, MainHome, OwnerKind, SignTypeSchema, UseKind, ValuePerM2 } from './schemas.ts';
import { TextLanguageSchema, typeOf } from './sign-language.ts';

const Lon = Type.Number({ minimum: 102.7, maximum: 102.95 });
const Lat = Type.Number({ minimum: 16.3, maximum: 16.55 });

/** One row of a parcel import: the owner and one parcel with a single use. */
export const ParcelRow = Type.Object({
  ownerTaxId: Type.String({ pattern: '^[0-9]{13}$' }),
  ownerKind: OwnerKind,
  ownerName: Type.String({ minLength: 1, maxLength: 300 }),
  deedKind: DeedKind,
  deedNo: Type.String({ minLength: 1, maxLength: 50 }),
  rai: Type.Integer({ minimum: 0 }),
  ngan: Type.Integer({ minimum: 0, maximum: 3 }),
  wa: Type.Number({ minimum: 0, exclusiveMaximum: 100 }),
  /** Empty when the Treasury's appraisal table gives the value (by deed, or by appraisalZone/Block). */
  valuePerM2Baht: Type.Optional(ValuePerM2),
  appraisalZone: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  appraisalBlock: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  /** One use (with mainHome or vacantYears), or several in `uses`. */
  use: Type.Optional(UseKind),
  /** Mixed use: `use:share[:status]` separated by `;` (status: a main home's, or a vacant use's years). */
  uses: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  mainHome: Type.Optional(MainHome),
  vacantYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  lon: Type.Optional(Lon),
  lat: Type.Optional(Lat),
  /** The outline: GeoJSON (Polygon or MultiPolygon, or a Feature of one) or WKT; the point defaults to inside it. */
  boundary: Type.Optional(Type.String({ maxLength: 200_000 })),
});
export type ParcelRowInput = Static<typeof ParcelRow> & {
  /** The outline read from `boundary`, set by the row's check. */
  polygons?: Polygons;
  /** The parcel's uses read from `use` or `uses`, set by the row's check. */
  useList?: ParcelUse[];
};

/** One row of an owner import: a person (national ID) or juristic person (tax ID), checked by its check digit. */
export const OwnerRow = Type.Object({
  kind: OwnerKind,
  taxId: Type.String({ pattern: '^[0-9]{13}$' }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
});
export type OwnerRowInput = Static<typeof OwnerRow>;

/** One row of a building import: the parcel it stands on (by deed) and the building. */
export const BuildingRow = Type.Object({
  deedKind: DeedKind,
  deedNo: Type.String({ minLength: 1, maxLength: 50 }),
  buildingNo: Type.String({ minLength: 1, maxLength: 50 }),
  kind: Type.String({ minLength: 1, maxLength: 100 }),
  floorAreaM2: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  /** Empty when the Treasury's building appraisal gives it (by kind, for the year's round). */
  costPerM2Baht: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  ageYears: Type.Integer({ minimum: 0, maximum: 500 }),
  /** Empty when the Treasury's depreciation table gives it (by kind and age). */
  depreciationPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
});
export type BuildingRowInput = Static<typeof BuildingRow>;

/** One row of a signboard import: the owner and one sign. */
export const SignRow = Type.Object({
  ownerTaxId: Type.String({ pattern: '^[0-9]{13}$' }),
  ownerKind: OwnerKind,
  ownerName: Type.String({ minLength: 1, maxLength: 300 }),
  widthCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
  heightCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
  /** The text language (the type follows from it), the type, or both when they agree. */
  textLanguage: Type.Optional(TextLanguageSchema),
  type: Type.Optional(SignTypeSchema),
  moving: Type.Boolean(),
  text: Type.Optional(Type.String({ maxLength: 1000 })),
  lon: Type.Optional(Lon),
  lat: Type.Optional(Lat),
});
export type SignRowInput = Static<typeof SignRow>;

export interface ParcelUse {
  use: 'agriculture' | 'residential' | 'other' | 'vacant';
  sharePercent: number;
  mainHome?: 'land-and-building' | 'building-only';
  vacantYears?: number;
}

const Year = Type.Integer({ minimum: 2500, maximum: 2700 });

/** One row of the Treasury's land appraisal for a round: one parcel (by deed) or a zone (and block). */
export const AppraisalRow = Type.Object({
  roundFrom: Year,
  roundTo: Year,
  deedKind: Type.Optional(DeedKind),
  deedNo: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  zone: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  block: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  valuePerM2Baht: ValuePerM2,
});
export type AppraisalRowInput = Static<typeof AppraisalRow>;

/** One row of the Treasury's depreciation table: from this age on, buildings of this type lose this much. */
export const DepreciationRow = Type.Object({
  buildingType: Type.String({ minLength: 1, maxLength: 100 }),
  ageFrom: Type.Integer({ minimum: 0, maximum: 500 }),
  depreciationPercent: Type.Number({ minimum: 0, maximum: 100 }),
});
export type DepreciationRowInput = Static<typeof DepreciationRow>;

/**
 * One row of the Treasury's building appraisal for a round, in the columns it publishes: the code
 * (รหัส), the type (ประเภทสิ่งปลูกสร้าง), the price per m² (ราคา บาท/ตร.ม.) and a note (หมายเหตุ);
 * `buildingTypeEn` is the type's English name, ours.
 */
export const BuildingCostRow = Type.Object({
  roundFrom: Year,
  roundTo: Year,
  /** The Treasury's code for the type (e.g. 100, 506/1); a building may be registered by it. */
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  buildingType: Type.String({ minLength: 1, maxLength: 100 }),
  buildingTypeEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  costPerM2Baht: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});
export type BuildingCostRowInput = Static<typeof BuildingCostRow>;

export interface RowResult<R = ParcelRowInput> {
  line: number;
  row?: R;
  /** Why the row was refused (its English sentence is `error`). */
  reason?: RowReason;
  error?: string;
}

/** What a register file's rows must look like, and the checks a schema cannot say. */
export interface RowSpec<R> {
  schema: TObject;
  check?: (row: R) => RowReason | undefined;
}

export const columnsOf = (schema: TObject) => Object.keys(schema.properties);

const ownerCheck = (row: { ownerTaxId: string }) =>
  isValidThaiNationalId(row.ownerTaxId) ? undefined : reason('owner_tax_id');
const pointCheck = (row: { lon?: number; lat?: number }) =>
  (row.lon === undefined) !== (row.lat === undefined) ? reason('point_pair') : undefined;

/** Reads the row's outline into `polygons`; a bad one is the row's reason (PostGIS's check comes on writing). */
const boundaryCheck = (row: ParcelRowInput) => {
  if (row.boundary === undefined) return undefined;
  try {
    row.polygons = readBoundaryText(row.boundary);
    return undefined;
  } catch (e) {
    if (!(e instanceof BoundaryError)) throw e;
    return reason(`boundary_${e.problem}`, Object.keys(e.params).length ? e.params : undefined);
  }
};

/** The row's uses into `useList`: one from `use` (with mainHome, vacantYears) or several from `uses`. */
const usesCheck = (row: ParcelRowInput) => {
  const single = row.use !== undefined || row.mainHome !== undefined || row.vacantYears !== undefined;
  if (single === (row.uses !== undefined)) return reason('use_or_uses');
  const list: ParcelUse[] = [];
  if (row.use !== undefined)
    list.push({ use: row.use, sharePercent: 100, mainHome: row.mainHome, vacantYears: row.vacantYears });
  else if (row.uses === undefined) return reason('use_or_uses');
  for (const part of row.uses
    ?.split(';')
    .map((p) => p.trim())
    .filter(Boolean) ?? []) {
    const u = readUse(part);
    if (!u) return reason('uses_unreadable', { part: part.slice(0, 60) });
    if (list.some((o) => o.use === u.use && o.mainHome === u.mainHome))
      return reason('uses_duplicate', { use: u.use });
    list.push(u);
  }
  if (!list.length || list.length > 4) return reason('uses_unreadable', { part: row.uses ?? '' });
  const share = list.reduce((s, u) => s + u.sharePercent, 0);
  if (Math.abs(share - 100) > 1e-9) return reason('uses_shares', { share: Math.round(share * 1000) / 1000 });
  if (list.some((u) => u.use !== 'residential' && u.mainHome)) return reason('main_home_use');
  if (list.some((u) => u.use !== 'vacant' && u.vacantYears !== undefined)) return reason('vacant_years_use');
  row.useList = list;
  return undefined;
};

const useKinds = ['agriculture', 'residential', 'other', 'vacant'];
/** `use:share[:status]`: a residential use's status is its main home's, a vacant use's its years vacant. */
function readUse(part: string): ParcelUse | undefined {
  const [use, shareText, status, ...rest] = part.split(':').map((p) => p.trim());
  const share = Number(shareText);
  if (rest.length || !useKinds.includes(use) || !shareText || !(share > 0 && share <= 100)) return undefined;
  const u: ParcelUse = { use: use as ParcelUse['use'], sharePercent: share };
  if (status === undefined || status === '') return u;
  if (use === 'residential' && (status === 'land-and-building' || status === 'building-only'))
    u.mainHome = status;
  else if (use === 'vacant' && /^[0-9]{1,3}$/.test(status) && Number(status) <= 100)
    u.vacantYears = Number(status);
  else return undefined;
  return u;
}

/** The row's type from its text language or type; both given must agree. */
const signTypeCheck = (row: SignRowInput) => {
  if (row.textLanguage === undefined && row.type === undefined) return reason('sign_language_required');
  if (row.textLanguage === undefined) return undefined;
  const expected = typeOf(row.textLanguage);
  if (row.type !== undefined && row.type !== expected)
    return reason('sign_type_language', { textLanguage: row.textLanguage, expected, type: row.type });
  row.type = expected;
  return undefined;
};

export const parcelSpec: RowSpec<ParcelRowInput> = {
  schema: ParcelRow,
  check: (row) =>
    ownerCheck(row) ??
    pointCheck(row) ??
    boundaryCheck(row) ??
    usesCheck(row) ??
    (row.appraisalBlock && !row.appraisalZone ? reason('appraisal_block_zone') : undefined),
};
export const ownerSpec: RowSpec<OwnerRowInput> = {
  schema: OwnerRow,
  check: (row) => (isValidThaiNationalId(row.taxId) ? undefined : reason('tax_id')),
};
export const buildingSpec: RowSpec<BuildingRowInput> = { schema: BuildingRow };
export const signSpec: RowSpec<SignRowInput> = {
  schema: SignRow,
  check: (row) => ownerCheck(row) ?? pointCheck(row) ?? signTypeCheck(row),
};
export const appraisalSpec: RowSpec<AppraisalRowInput> = {
  schema: AppraisalRow,
  check: (row) => {
    if (row.roundTo < row.roundFrom || row.roundTo - row.roundFrom > 8) return reason('round_span');
    if ((row.deedKind === undefined) !== (row.deedNo === undefined)) return reason('deed_pair');
    if (row.deedNo !== undefined && (row.zone !== undefined || row.block !== undefined))
      return reason('deed_and_zone');
    if (row.block !== undefined && row.zone === undefined) return reason('block_zone');
    if (row.deedNo === undefined && row.zone === undefined) return reason('zone_or_deed');
    return undefined;
  },
};
export const depreciationSpec: RowSpec<DepreciationRowInput> = { schema: DepreciationRow };
export const buildingCostSpec: RowSpec<BuildingCostRowInput> = {
  schema: BuildingCostRow,
  check: (row) =>
    row.roundTo < row.roundFrom || row.roundTo - row.roundFrom > 8 ? reason('round_span') : undefined,
};

/** Records of a register CSV (UTF-8, with a header naming the columns; Excel's BOM is accepted). */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as Record<string, string>[];
}

/** The same as an Excel workbook: the first sheet, its first row the header. */
export async function xlsxRecords(file: Buffer): Promise<Record<string, string>[]> {
  const [header, ...rows] = await readSheet(file);
  if (!header) return [];
  const names = header.map((h) => String(h ?? '').trim());
  return rows
    .filter((row) => row.some((cell) => cell !== null && cell !== ''))
    .map((row) =>
      Object.fromEntries(
        names.map((name, i) => [name, row[i] === null || row[i] === undefined ? '' : String(row[i]).trim()]),
      ),
    );
}

/**
 * Checks every record on its own against the spec: a bad row is reported by its line in the file
 * (the header is line 1) and does not stop the others. A file without a required column is refused.
 */
export function checkRecords<R>(spec: RowSpec<R>, records: Record<string, string>[]): RowResult<R>[] {
  const columns = columnsOf(spec.schema);
  const required = (spec.schema.required ?? []) as string[];
  const absent = records.length > 0 ? required.filter((c) => !(c in records[0])) : [];
  if (absent.length)
    throw AppError.badRequest(
      'request.malformed',
      msg('request.missing_columns', { columns: absent.join(', ') }),
    );
  return records.map((record, i) => {
    const line = i + 2;
    const cleaned = Object.fromEntries(
      Object.entries(record).filter(([k, v]) => v !== '' && columns.includes(k)),
    );
    const row = Value.Convert(spec.schema, cleaned);
    if (!Value.Check(spec.schema, row)) {
      const first = [...Value.Errors(spec.schema, row)][0];
      const why = first
        ? schemaReason(first)
        : { code: 'invalid', params: { column: '', rule: 'other' }, error: 'row: not valid' };
      return { line, reason: why, error: why.error };
    }
    const why = spec.check?.(row as R);
    return why ? { line, reason: why, error: why.error } : { line, row: row as R };
  });
}

export function parseParcelCsv(text: string): RowResult[] {
  return checkRecords(parcelSpec, csvRecords(text));
}

export async function parseParcelXlsx(file: Buffer): Promise<RowResult[]> {
  return checkRecords(parcelSpec, await xlsxRecords(file));
}
