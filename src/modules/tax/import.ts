import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import { DeedKind, MainHome, OwnerKind, UseKind, ValuePerM2 } from './schemas.ts';

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
  valuePerM2Baht: ValuePerM2,
  use: UseKind,
  mainHome: Type.Optional(MainHome),
  vacantYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  lon: Type.Optional(Type.Number({ minimum: 102.7, maximum: 102.95 })),
  lat: Type.Optional(Type.Number({ minimum: 16.3, maximum: 16.55 })),
});
export type ParcelRowInput = Static<typeof ParcelRow>;

export const parcelColumns = Object.keys(ParcelRow.properties) as (keyof ParcelRowInput)[];
const requiredColumns = parcelColumns.filter((c) =>
  (ParcelRow.required as string[] | undefined)?.includes(c),
);

export interface RowResult {
  line: number;
  row?: ParcelRowInput;
  error?: string;
}

/**
 * Reads a parcel register CSV (UTF-8, with a header naming the columns; Excel's BOM is accepted).
 * Every row is checked on its own: a bad row is reported by line and does not stop the others.
 */
export function parseParcelCsv(text: string): RowResult[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as Record<string, string>[];
  return checkRecords(records);
}

/** The same register as an Excel workbook: the first sheet, its first row the header. */
export async function parseParcelXlsx(file: Buffer): Promise<RowResult[]> {
  const [header, ...rows] = await readSheet(file);
  if (!header) return [];
  const names = header.map((h) => String(h ?? '').trim());
  const records = rows
    .filter((row) => row.some((cell) => cell !== null && cell !== ''))
    .map((row) =>
      Object.fromEntries(
        names.map((name, i) => [name, row[i] === null || row[i] === undefined ? '' : String(row[i]).trim()]),
      ),
    );
  return checkRecords(records);
}

function checkRecords(records: Record<string, string>[]): RowResult[] {
  const absent = records.length > 0 ? requiredColumns.filter((c) => !(c in records[0])) : [];
  if (absent.length) throw new Error(`missing columns: ${absent.join(', ')}`);
  return records.map((record, i) => {
    const line = i + 2;
    const cleaned = Object.fromEntries(
      Object.entries(record).filter(
        ([k, v]) => v !== '' && parcelColumns.includes(k as keyof ParcelRowInput),
      ),
    );
    const row = Value.Convert(ParcelRow, cleaned);
    if (!Value.Check(ParcelRow, row)) {
      const first = [...Value.Errors(ParcelRow, row)][0];
      return { line, error: `${first?.instancePath.slice(1) || 'row'}: ${first?.message ?? 'not valid'}` };
    }
    if (!isValidThaiNationalId(row.ownerTaxId))
      return { line, error: 'ownerTaxId: check digit does not match' };
    if (row.use === 'residential' || !row.mainHome) return { line, row };
    return { line, error: 'mainHome: only for residential use' };
  });
}
