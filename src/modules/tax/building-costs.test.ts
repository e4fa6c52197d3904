import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { registerStart, TaxRepository } from './repository.ts';
import { byLine, taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const { importFile } = tax;

const header = 'roundFrom,roundTo,buildingType,code,costPerM2Baht';
const injection = "ตึก'); DROP TABLE tax_building_costs; --";

describe("the Treasury's building appraisal (cost per m² by building type)", () => {
  it('imports a round and reports the ugly rows by line', async () => {
    const status = await importFile(
      'building-costs',
      [
        header,
        '2566,2569,ตึกแถว 2 ชั้น,103,8000',
        '2566,2569,บ้านไม้ 1 ชั้น,,4000',
        '2570,2573,ตึกแถว 2 ชั้น,103,99000', // the next round: not used for 2569
        '2566,2569,ตึกแถว 2 ชั้น,103,8100', // again in this file for this round
        '2569,2566,โกดัง,201,100', // round backwards
        '2566,2578,โกดัง,201,100', // a round of 13 years
        '2566,2569,,201,100', // no type
        '2566,2569,โกดัง,201,-1', // negative cost
        '2566,2569,โกดัง,201,ten', // not a number
        `2566,2569,โกดัง,${'9'.repeat(21)},100`, // over-long code
        `2566,2569,"${injection}",,700`, // kept as text
        'twenty,2569,โกดัง,,100',
      ].join('\n'),
    );
    expect(status).toMatchObject({ kind: 'building-costs', status: 'done', total: 12, imported: 4 });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([5, 6, 7, 8, 9, 10, 11, 13]);
    expect(errors[5]).toContain('earlier in this file');
    expect(errors[6]).toContain('roundTo');
    expect(errors[7]).toContain('roundTo');
    expect(errors[8]).toContain('buildingType');
    expect(errors[9]).toContain('costPerM2Baht');
    expect(errors[10]).toContain('costPerM2Baht');
    expect(errors[11]).toContain('code');
    expect(errors[13]).toContain('roundFrom');
    const [row] = await tax.t.db.rows<{ v: string; code: string }>(
      sql`SELECT cost_per_m2::text AS v, code FROM tax_building_costs WHERE building_type = 'ตึกแถว 2 ชั้น' AND first_year = 2566`,
    );
    expect(Number(row.v)).toBe(8000);
    expect(row.code).toBe('103');
    const kept = await tax.t.db.rows(
      sql`SELECT 1 FROM tax_building_costs WHERE building_type = ${injection}`,
    );
    expect(kept).toHaveLength(1);
  });

  it('assesses a building without its own cost from the row of its kind for the year, naming the row', async () => {
    const owner = await tax.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: tax.revenue,
      payload: { kind: 'juristic', taxId: thaiId('010555054321'), name: 'บริษัท โรงเรือน จำกัด' },
    });
    expect(owner.status).toBe(201);
    const parcel = async (deedNo: string, buildings: Record<string, unknown>[]) => {
      const res = await tax.t.json({
        method: 'POST',
        url: '/api/tax/parcels',
        headers: tax.revenue,
        payload: {
          ownerId: owner.body.id,
          deedKind: 'chanote',
          deedNo,
          area: { rai: 0, ngan: 0, wa: 25 },
          valuePerM2Baht: 1000,
          uses: [{ use: 'other', sharePercent: 100 }],
          buildings,
        },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const shophouse = { kind: 'ตึกแถว 2 ชั้น', floorAreaM2: 100, ageYears: 5, depreciationPercent: 10 };
    const fromTable = await parcel('BC-1', [shophouse, { ...shophouse, kind: 'บ้านไม้ 1 ชั้น' }]);
    const own = await parcel('BC-OWN', [{ ...shophouse, costPerM2Baht: 5000 }]);
    const unknown = await parcel('BC-NONE', [{ ...shophouse, kind: 'ปราสาท' }]);

    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBe(200);
    const reasons = Object.fromEntries(
      run.body.unvaluedParcels.map((u: { parcelId: string; reason: string }) => [u.parcelId, u.reason]),
    );
    expect(Object.keys(reasons)).toEqual([unknown]);
    expect(reasons[unknown]).toContain('ปราสาท');
    expect(reasons[unknown]).toContain('cost per m²');

    const bills = await tax.t.db.rows<{
      parcel_id: string;
      working: { th: string; en: string; satang: number }[];
    }>(sql`SELECT parcel_id, working FROM tax_bills WHERE parcel_id IN (${fromTable}, ${own}, ${unknown})`);
    const working = Object.fromEntries(bills.map((b) => [b.parcel_id, b.working]));
    expect(Object.keys(working).sort()).toEqual([fromTable, own].sort());
    // 100 m² × 8,000 baht (the 2566–2569 round, not the next one's 99,000) less 10 %.
    // The buildings' lines follow the land's, in no promised order: find each by its amount.
    const line = (satang: number) => working[fromTable].find((l) => l.satang === satang);
    expect(line(720_000 * 100)?.en).toContain('Treasury building appraisal 2566–2569: ตึกแถว 2 ชั้น, code 103');
    expect(line(720_000 * 100)?.th).toContain(
      'ราคาประเมินสิ่งปลูกสร้างของกรมธนารักษ์ รอบ 2566–2569: ตึกแถว 2 ชั้น รหัส 103',
    );
    // A row without a code is named by its type alone.
    expect(line(360_000 * 100)?.en).toContain('2566–2569: บ้านไม้ 1 ชั้น)');
    expect(working[own][1]).toMatchObject({ satang: 450_000 * 100 });
    expect(working[own][1].en).not.toContain('Treasury');
  });

  it('takes the next round for the years it covers', async () => {
    // No rates are held for 2570 yet, so the lookup is checked where the assessment reads the register.
    const repo = new TaxRepository(tax.t.db);
    const pages = await repo.parcelsForAssessment(2570, registerStart, 10_000);
    const p = pages.find((x) => x.buildings.some((b) => b.kind === 'ตึกแถว 2 ชั้น' && b.cost !== null));
    expect(p?.buildings.find((b) => b.kind === 'ตึกแถว 2 ชั้น')).toMatchObject({
      costPerM2Baht: 99_000,
      cost: { firstYear: 2570, lastYear: 2573, buildingType: 'ตึกแถว 2 ชั้น', code: '103' },
    });
    const years2574 = await repo.parcelsForAssessment(2574, registerStart, 10_000);
    const none = years2574
      .flatMap((x) => x.buildings)
      .filter((b) => b.kind === 'ตึกแถว 2 ชั้น' && b.cost !== null);
    expect(none).toEqual([]);
  });

  it('a corrected round replaces its values when imported again; the building import leaves the cost empty', async () => {
    const status = await importFile('building-costs', `${header}\n2566,2569,ตึกแถว 2 ชั้น,103A,8200`);
    expect(status).toMatchObject({ imported: 1, errors: [] });
    const rows = await tax.t.db.rows<{ v: string; code: string }>(
      sql`SELECT cost_per_m2::text AS v, code FROM tax_building_costs WHERE building_type = 'ตึกแถว 2 ชั้น' AND first_year = 2566`,
    );
    expect(rows.map((r) => [Number(r.v), r.code])).toEqual([[8200, '103A']]);

    const buildings = await importFile(
      'buildings',
      [
        'deedKind,deedNo,buildingNo,kind,floorAreaM2,costPerM2Baht,ageYears,depreciationPercent',
        'chanote,BC-OWN,2,ตึกแถว 2 ชั้น,50,,3,5',
        'chanote,BC-OWN,3,ตึกแถว 2 ชั้น,50,-3,3,5',
      ].join('\n'),
    );
    expect(buildings).toMatchObject({ imported: 1 });
    expect(byLine(buildings)[3]).toContain('costPerM2Baht');
    const [b] = await tax.t.db.rows<{ cost: string | null }>(
      sql`SELECT cost_per_m2::text AS cost FROM tax_buildings WHERE building_no = '2'`,
    );
    expect(b.cost).toBeNull();
  });

  it('shows finance staff the imported table, searched and paged, and no one else', async () => {
    const page = await tax.t.json({
      method: 'GET',
      url: `/api/tax/register/building-costs?q=${encodeURIComponent('ตึกแถว')}&limit=1`,
      headers: tax.revenue,
    });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(2);
    expect(page.body.items).toEqual([
      expect.objectContaining({ roundFrom: 2570, buildingType: 'ตึกแถว 2 ชั้น', code: '103', costPerM2: 99000 }),
    ]);
    const byCode = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/building-costs?q=103A',
      headers: tax.revenue,
    });
    expect(byCode.body.items.map((r: { costPerM2: number }) => r.costPerM2)).toEqual([8200]);
    const wild = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/building-costs?q=%25',
      headers: tax.revenue,
    });
    expect(wild.body.total).toBe(0);
    const officer = await tax.t.signIn('officer');
    const clerk = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/building-costs',
      headers: officer,
    });
    expect(clerk.status).toBe(403);
    const upload = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/building-costs',
      headers: { ...officer, 'content-type': 'text/csv' },
      payload: `${header}\n2566,2569,โกดัง,,1`,
    });
    expect(upload.status).toBe(403);
    const noColumns = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/building-costs',
      headers: { ...tax.revenue, 'content-type': 'text/csv' },
      payload: 'buildingType\nโกดัง',
    });
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.detail).toContain('costPerM2Baht');
  });
});
