import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { registerStart, TaxRepository } from './repository.ts';
import { byLine, taxTestApp, thaiId } from './testing.ts';

/**
 * Building kinds in the register match the depreciation table's and the Treasury building
 * appraisal's types by a normalised key (migration 0011_building_type_keys.sql), not by exact text.
 */
const tax = taxTestApp();
const key = async (text: string) =>
  (await tax.t.db.rows<{ k: string }>(sql`SELECT tax_type_key(${text}) AS k`))[0].k;

describe('building type keys', () => {
  it.each([
    ['  ตึกแถว   2 ชั้น ', 'ตึกแถว 2 ชั้น'],
    ['ตึกแถว\t2\nชั้น', 'ตึกแถว 2 ชั้น'],
    ['ตึกแถว ๒ ชั้น', 'ตึกแถว 2 ชั้น'],
    ['ตึก\u200Bแถว 2 ชั้น\uFEFF', 'ตึกแถว 2 ชั้น'],
    // SARA AM as one character, or typed as NIKHAHIT + SARA AA.
    ['โรงทำงาน', 'โรงท\u0E4D\u0E32งาน'],
    // NIKHAHIT typed before the tone mark (น + ํ + ้ + า) is still น้ำ.
    ['หอถังน\u0E4D\u0E49\u0E32', 'หอถังน้ำ'],
    ['Warehouse A', 'warehouse a'],
    ['１０３', '103'],
  ])('%j and %j have one key', async (a, b) => {
    expect(await key(a)).toBe(await key(b));
  });

  it.each([
    ['ตึกแถว 2 ชั้น', 'ตึกแถว 3 ชั้น'],
    ['บ้านไม้', 'บ้านไม้ 1 ชั้น'],
    ['น้ำ', 'นํา'],
  ])('%j and %j stay apart', async (a, b) => {
    expect(await key(a)).not.toBe(await key(b));
  });

  it('values a building whose kind is typed differently from the table', async () => {
    const imported = await tax.importFile(
      'building-costs',
      'roundFrom,roundTo,buildingType,code,costPerM2Baht\n2566,2569,โรงงานทำน้ำแข็ง,B7,6000',
    );
    expect(imported).toMatchObject({ status: 'done', imported: 1 });
    const owner = await tax.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: tax.revenue,
      payload: { kind: 'juristic', taxId: thaiId('010555067890'), name: 'บริษัท น้ำแข็ง จำกัด' },
    });
    expect(owner.status).toBe(201);
    const building = { floorAreaM2: 10, ageYears: 1, depreciationPercent: 0 };
    const parcel = await tax.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: tax.revenue,
      payload: {
        ownerId: owner.body.id,
        deedKind: 'chanote',
        deedNo: 'KEY-1',
        area: { rai: 0, ngan: 0, wa: 25 },
        valuePerM2Baht: 1000,
        uses: [{ use: 'other', sharePercent: 100 }],
        buildings: [
          // Extra spaces, SARA AM typed in two characters, a zero-width space.
          { ...building, kind: ' โรงงานท\u0E4D\u0E32น้ำ\u200Bแข็ง  ' },
          // The code, in lower case.
          { ...building, kind: 'b7' },
          { ...building, kind: 'โรงงานทำน้ำตาล' },
        ],
      },
    });
    expect(parcel.status).toBe(201);
    const pages = await new TaxRepository(tax.t.db).parcelsForAssessment(2569, registerStart, 10_000);
    const mine = pages.find((p) => p.id === parcel.body.id)!;
    // The buildings come in no promised order: each is found by its kind.
    const cost = (kind: string) => mine.buildings.find((b) => b.kind.includes(kind));
    expect(cost('แข็ง')).toMatchObject({
      costPerM2Baht: 6000,
      cost: { buildingType: 'โรงงานทำน้ำแข็ง', code: 'B7' },
    });
    expect(cost('b7')?.costPerM2Baht).toBe(6000);
    expect(cost('ตาล')?.costPerM2Baht).toBeNull();
  });
});

describe('one table row per building type key', () => {
  const rows = (table: 'tax_depreciation' | 'tax_building_costs', type: string) =>
    tax.t.db.rows<{ type: string; value: number }>(
      table === 'tax_depreciation'
        ? sql`SELECT building_type AS type, depreciation_percent::float8 AS value FROM tax_depreciation
            WHERE type_key = tax_type_key(${type}) AND age_from = 7`
        : sql`SELECT building_type AS type, cost_per_m2::float8 AS value FROM tax_building_costs
            WHERE type_key = tax_type_key(${type}) AND first_year = 2566 AND last_year = 2569`,
    );

  it('replaces a depreciation row typed differently instead of adding a second one', async () => {
    const first = await tax.importFile(
      'depreciation',
      'buildingType,ageFrom,depreciationPercent\nโรงทำ ขนม,7,20',
    );
    expect(first).toMatchObject({ status: 'done', imported: 1 });
    // SARA AM in two characters and extra spaces: the same type.
    const again = await tax.importFile(
      'depreciation',
      'buildingType,ageFrom,depreciationPercent\n"โรงท\u0E4D\u0E32  ขนม",7,25',
    );
    expect(again).toMatchObject({ status: 'done', imported: 1 });
    expect(await rows('tax_depreciation', 'โรงทำ ขนม')).toEqual([
      { type: 'โรงท\u0E4D\u0E32  ขนม', value: 25 },
    ]);
    // Twice in one file: the second is reported, not a second row.
    const twice = await tax.importFile(
      'depreciation',
      'buildingType,ageFrom,depreciationPercent\nโรงทำ ขนม,7,30\n"โรงทำ   ขนม",7,31',
    );
    expect(twice).toMatchObject({ status: 'done', imported: 1 });
    expect(byLine(twice)[3]).toContain('earlier in this file');
    expect(await rows('tax_depreciation', 'โรงทำ ขนม')).toEqual([{ type: 'โรงทำ ขนม', value: 30 }]);
  });

  it('replaces a building cost row typed differently, and a code taken by another type is refused by key', async () => {
    const header = 'roundFrom,roundTo,buildingType,code,costPerM2Baht';
    expect(await tax.importFile('building-costs', `${header}\n2566,2569,ตึกแถว ๒ ชั้น,R2,7000`)).toMatchObject({
      status: 'done',
      imported: 1,
    });
    expect(await tax.importFile('building-costs', `${header}\n2566,2569,ตึกแถว 2 ชั้น,R2,7200`)).toMatchObject({
      status: 'done',
      imported: 1,
    });
    expect(await rows('tax_building_costs', 'ตึกแถว 2 ชั้น')).toEqual([{ type: 'ตึกแถว 2 ชั้น', value: 7200 }]);
    // "r2" is R2's key: another type may not take it in the round.
    const taken = await tax.importFile('building-costs', `${header}\n2566,2569,ตึกแถว 3 ชั้น,r2,9000`);
    expect(taken).toMatchObject({ status: 'done', imported: 0 });
    expect(byLine(taken)[2]).toContain('ตึกแถว 2 ชั้น');
  });
});
