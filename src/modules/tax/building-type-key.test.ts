import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TaxRepository } from './repository.ts';
import { taxTestApp, thaiId } from './testing.ts';

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
    const pages = await new TaxRepository(tax.t.db).parcelsForAssessment(
      2569,
      '00000000-0000-0000-0000-000000000000',
      10_000,
    );
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
