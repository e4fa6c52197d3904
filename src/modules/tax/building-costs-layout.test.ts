// The Treasury's building appraisal in the layout it publishes: code, type (Thai, with our English
// name), price per m² and note. The prices here are synthetic, not a real round's.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { byLine, taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const header = 'roundFrom,roundTo,code,buildingType,buildingTypeEn,costPerM2Baht,note';

describe("the Treasury's building appraisal list, as published", () => {
  it('imports code, type in Thai and English, price and note; a code names one type in a round', async () => {
    const status = await tax.importFile(
      'building-costs',
      [
        header,
        '2566,2569,100,ประเภทบ้านเดี่ยว,Detached house,7000,',
        '2566,2569,506/1,โรงแรม ความสูงไม่เกิน 5 ชั้น,"Hotel, up to 5 storeys",9000,',
        '2566,2569,512,สถานีบริการน้ำมันเชื้อเพลิง,Petrol station,5000,พื้นที่อาคารและบริเวณหัวจ่าย',
        '2566,2569,100,ประเภทบ้านแถว,Row house,7100,', // code 100 is the detached house's in this round
        '2570,2573,100,ประเภทบ้านแถว,Row house,7600,', // another round may use it
        `2566,2569,513,โรงงาน,Factory,6000,${'x'.repeat(501)}`, // note too long
      ].join('\n'),
    );
    expect(status).toMatchObject({ status: 'done', total: 6, imported: 4 });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([5, 7]);
    expect(errors[5]).toBe('code: 100 is already "ประเภทบ้านเดี่ยว" in this round');
    expect(errors[7]).toContain('note');
    const [station] = await tax.t.db.rows<{ en: string; note: string }>(
      sql`SELECT building_type_en AS en, note FROM tax_building_costs WHERE code = '512'`,
    );
    expect(station).toEqual({ en: 'Petrol station', note: 'พื้นที่อาคารและบริเวณหัวจ่าย' });
  });

  it('values a building registered by the code or by the type, naming the row in Thai and English', async () => {
    const owner = await tax.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: tax.revenue,
      payload: { kind: 'juristic', taxId: thaiId('010555065432'), name: 'บริษัท โรงแรมตัวอย่าง จำกัด' },
    });
    expect(owner.status).toBe(201);
    const hotel = { floorAreaM2: 100, ageYears: 5, depreciationPercent: 10 };
    const parcel = await tax.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: tax.revenue,
      payload: {
        ownerId: owner.body.id,
        deedKind: 'chanote',
        deedNo: 'LAYOUT-1',
        area: { rai: 0, ngan: 0, wa: 25 },
        valuePerM2Baht: 1000,
        uses: [{ use: 'other', sharePercent: 100 }],
        buildings: [
          { ...hotel, kind: '506/1' },
          { ...hotel, kind: 'ประเภทบ้านเดี่ยว', floorAreaM2: 50 },
        ],
      },
    });
    expect(parcel.status).toBe(201);
    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBe(200);
    expect(run.body.unvalued).toBe(0);
    const [bill] = await tax.t.db.rows<{ working: { th: string; en: string; satang: number }[] }>(
      sql`SELECT working FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
    );
    // 100 m² × 9,000 baht less 10 %, and 50 m² × 7,000 baht less 10 %.
    const line = (satang: number) => bill.working.find((l) => l.satang === satang);
    expect(line(810_000 * 100)?.en).toContain(
      'Treasury building appraisal 2566–2569: Hotel, up to 5 storeys, code 506/1',
    );
    expect(line(810_000 * 100)?.th).toContain('2566–2569: โรงแรม ความสูงไม่เกิน 5 ชั้น รหัส 506/1');
    expect(line(315_000 * 100)?.en).toContain('Detached house, code 100');
  });

  it('lists the table as the Treasury does, by code, with the English name and the note', async () => {
    const page = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/building-costs?limit=10',
      headers: tax.revenue,
    });
    expect(page.status).toBe(200);
    expect(
      page.body.items.map((r: { roundFrom: number; code: string }) => `${r.roundFrom} ${r.code}`),
    ).toEqual(['2570 100', '2566 100', '2566 506/1', '2566 512']);
    expect(page.body.items[3]).toMatchObject({
      code: '512',
      buildingType: 'สถานีบริการน้ำมันเชื้อเพลิง',
      buildingTypeEn: 'Petrol station',
      costPerM2: 5000,
      note: 'พื้นที่อาคารและบริเวณหัวจ่าย',
    });
    const english = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/building-costs?q=hotel',
      headers: tax.revenue,
    });
    expect(english.body.items.map((r: { code: string }) => r.code)).toEqual(['506/1']);
  });
});
