import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { byLine, taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const { importFile } = tax;

const appraisalHeader = 'roundFrom,roundTo,deedKind,deedNo,zone,block,valuePerM2Baht';
const injection = "Z'); DROP TABLE tax_appraisals; --";

describe('Treasury appraisal and depreciation tables', () => {
  it('imports an appraisal round and reports the ugly rows by line', async () => {
    const status = await importFile(
      'appraisals',
      [
        appraisalHeader,
        '2566,2569,,,Z1,,3000',
        '2566,2569,,,Z1,B7,4500',
        '2566,2569,chanote,APR-1,,,9000',
        '2570,2573,,,Z1,,10000', // the next round: not used for 2569
        '2566,2569,,,Z1,B7,4600', // Z1/B7 again in this file
        '2569,2566,,,Z2,,100', // round backwards
        '2566,2569,chanote,APR-2,Z1,,100', // a deed and a zone
        '2566,2569,chanote,,,,100', // deed kind without number
        '2566,2569,,,,B7,100', // block without zone
        '2566,2569,,,Z3,,-5', // negative value
        '2566,2569,,,,,100', // neither deed nor zone
        `2566,2569,,,"${injection}",,700`, // kept as text
        '2566,2569,castle,APR-3,,,100',
        'twenty,2569,,,Z4,,100',
      ].join('\n'),
    );
    expect(status).toMatchObject({ kind: 'appraisals', status: 'done', total: 14, imported: 5 });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([6, 7, 8, 9, 10, 11, 12, 14, 15]);
    expect(errors[6]).toContain('earlier in this file');
    expect(errors[7]).toContain('roundTo');
    expect(errors[8]).toContain('not both');
    expect(errors[9]).toContain('give both');
    expect(errors[10]).toContain('block');
    expect(errors[11]).toContain('valuePerM2Baht');
    expect(errors[12]).toContain('zone');
    expect(errors[14]).toContain('deedKind');
    expect(errors[15]).toContain('roundFrom');
    // Each reason also as a stable code with the values it names, for the web app to say in Thai.
    const codes = Object.fromEntries(
      (status.errors as { line: number; code: string; params?: Record<string, unknown> }[]).map((e) => [
        e.line,
        { code: e.code, params: e.params },
      ]),
    );
    expect(codes[6]).toEqual({ code: 'appraisal_repeated', params: undefined });
    expect(codes[7].code).toBe('round_span');
    expect(codes[8].code).toBe('deed_and_zone');
    expect(codes[9].code).toBe('deed_pair');
    expect(codes[10].code).toBe('block_zone');
    expect(codes[11]).toEqual({
      code: 'invalid',
      params: { column: 'valuePerM2Baht', rule: expect.stringMatching(/minimum/), limit: expect.any(Number) },
    });
    expect(codes[12].code).toBe('zone_or_deed');
    expect(codes[14]).toEqual({ code: 'invalid', params: expect.objectContaining({ column: 'deedKind' }) });
    expect(codes[15]).toEqual({ code: 'invalid', params: expect.objectContaining({ column: 'roundFrom' }) });
    const [b7] = await tax.t.db.rows<{ v: string }>(
      sql`SELECT value_per_m2::text AS v FROM tax_appraisals WHERE zone = 'Z1' AND block = 'B7'`,
    );
    expect(Number(b7.v)).toBe(4500);
    const [kept] = await tax.t.db.rows<{ zone: string }>(
      sql`SELECT zone FROM tax_appraisals WHERE zone = ${injection}`,
    );
    expect(kept.zone).toBe(injection);
  });

  it('imports the depreciation table and reports the ugly rows by line', async () => {
    const status = await importFile(
      'depreciation',
      [
        'buildingType,ageFrom,depreciationPercent',
        'ตึก,0,0',
        'ตึก,10,20',
        'ตึก,20,40',
        'ตึก,10,25', // again in this file
        'ไม้,0,140',
        'ไม้,-1,10',
        ',3,10',
        'ไม้,ten,10',
      ].join('\n'),
    );
    expect(status).toMatchObject({ kind: 'depreciation', status: 'done', total: 8, imported: 3 });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([5, 6, 7, 8, 9]);
    expect(errors[5]).toContain('earlier in this file');
    expect(errors[6]).toContain('depreciationPercent');
    expect(errors[7]).toContain('ageFrom');
    expect(errors[8]).toContain('buildingType');
    expect(errors[9]).toContain('ageFrom');
  });

  it('assesses parcels and buildings without their own values from the tables, and says which row it used', async () => {
    const owner = await tax.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: tax.revenue,
      payload: { kind: 'juristic', taxId: thaiId('010555012345'), name: 'บริษัท ประเมิน จำกัด' },
    });
    expect(owner.status).toBe(201);
    const parcel = async (deedNo: string, extra: Record<string, unknown>) => {
      const res = await tax.t.json({
        method: 'POST',
        url: '/api/tax/parcels',
        headers: tax.revenue,
        payload: {
          ownerId: owner.body.id,
          deedKind: 'chanote',
          deedNo,
          area: { rai: 1, ngan: 0, wa: 0 },
          uses: [{ use: 'other', sharePercent: 100 }],
          ...extra,
        },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const byDeed = await parcel('APR-1', { appraisalZone: 'Z1', appraisalBlock: 'B7' });
    const byBlock = await parcel('APR-B', {
      appraisalZone: 'Z1',
      appraisalBlock: 'B7',
      buildings: [{ kind: 'ตึก', floorAreaM2: 100, costPerM2Baht: 10_000, ageYears: 15 }],
    });
    const byZone = await parcel('APR-Z', { appraisalZone: 'Z1', appraisalBlock: 'B9' });
    const own = await parcel('APR-OWN', { appraisalZone: 'Z1', valuePerM2Baht: 100 });
    const nowhere = await parcel('APR-NONE', { appraisalZone: 'Z9' });
    const oddBuilding = await parcel('APR-WOOD', {
      valuePerM2Baht: 100,
      buildings: [{ kind: 'กระท่อม', floorAreaM2: 20, costPerM2Baht: 1000, ageYears: 5 }],
    });

    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBe(200);
    expect(run.body.unvalued).toBe(2);
    const reasons = Object.fromEntries(
      run.body.unvaluedParcels.map((u: { parcelId: string; reason: string }) => [u.parcelId, u.reason]),
    );
    expect(reasons[nowhere]).toContain('no appraisal row');
    expect(reasons[oddBuilding]).toContain('กระท่อม');

    const bills = await tax.t.db.rows<{
      parcel_id: string;
      working: { th: string; en: string; satang: number }[];
    }>(
      sql`SELECT parcel_id, working FROM tax_bills WHERE parcel_id IN (${byDeed}, ${byBlock}, ${byZone}, ${own}, ${nowhere}, ${oddBuilding})`,
    );
    const working = Object.fromEntries(bills.map((b) => [b.parcel_id, b.working]));
    expect(Object.keys(working).sort()).toEqual([byDeed, byBlock, byZone, own].sort());
    // The deed's own row wins over its zone and block.
    expect(working[byDeed][0]).toMatchObject({ satang: 1600 * 9000 * 100 });
    expect(working[byDeed][0].en).toContain('Treasury appraisal 2566–2569, parcel chanote APR-1');
    expect(working[byDeed][0].th).toContain('รายแปลง chanote APR-1');
    expect(working[byBlock][0]).toMatchObject({ satang: 1600 * 4500 * 100 });
    expect(working[byBlock][0].en).toContain('zone Z1, block B7');
    // 100 m² × 10,000 baht less 20 % (the row from 10 years, for a 15-year-old building).
    expect(working[byBlock][1]).toMatchObject({ satang: 800_000 * 100 });
    expect(working[byBlock][1].en).toContain('depreciation table: ตึก, from 10 years');
    expect(working[byZone][0]).toMatchObject({ satang: 1600 * 3000 * 100 });
    expect(working[byZone][0].en).toContain('zone Z1)');
    expect(working[own][0]).toMatchObject({ satang: 1600 * 100 * 100 });
    expect(working[own][0].en).not.toContain('Treasury');
  });

  it('a corrected round replaces its values when imported again', async () => {
    const status = await importFile('appraisals', `${appraisalHeader}\n2566,2569,,,Z1,B7,4700`);
    expect(status).toMatchObject({ imported: 1, errors: [] });
    const rows = await tax.t.db.rows<{ v: string }>(
      sql`SELECT value_per_m2::text AS v FROM tax_appraisals WHERE zone = 'Z1' AND block = 'B7'`,
    );
    expect(rows.map((r) => Number(r.v))).toEqual([4700]);
  });

  it('imports parcels that take their value from the appraisal', async () => {
    const status = await importFile(
      'parcels',
      [
        'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,appraisalZone,appraisalBlock,use',
        '3109900123453,person,นายประเมิน,chanote,APR-IMP-1,1,0,0,,Z1,B7,other',
        '3109900123453,person,นายประเมิน,chanote,APR-IMP-2,1,0,0,,,B7,other',
        `3109900123453,person,นายประเมิน,chanote,APR-IMP-3,1,0,0,,${'Z'.repeat(51)},,other`,
      ].join('\n'),
    );
    expect(status).toMatchObject({ imported: 1 });
    const errors = byLine(status);
    expect(errors[3]).toContain('appraisalBlock');
    expect(errors[4]).toContain('appraisalZone');
    const [row] = await tax.t.db.rows<{ v: string | null; zone: string; block: string }>(
      sql`SELECT value_per_m2::text AS v, appraisal_zone AS zone, appraisal_block AS block FROM tax_parcels WHERE deed_no = 'APR-IMP-1'`,
    );
    expect(row).toEqual({ v: null, zone: 'Z1', block: 'B7' });
  });

  it('shows staff the imported tables, searched and paged', async () => {
    const z1 = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/appraisals?q=Z1',
      headers: tax.revenue,
    });
    expect(z1.status).toBe(200);
    expect(z1.body.total).toBe(3);
    // Newest round first; in a round, the zone's own row before its blocks.
    expect(
      z1.body.items.map((r: { roundFrom: number; block: string | null; valuePerM2: number }) => [
        r.roundFrom,
        r.block,
        r.valuePerM2,
      ]),
    ).toEqual([
      [2570, null, 10000],
      [2566, null, 3000],
      [2566, 'B7', 4700],
    ]);
    const deed = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/appraisals?q=APR-1',
      headers: tax.revenue,
    });
    expect(deed.body.items).toEqual([
      expect.objectContaining({ deedKind: 'chanote', deedNo: 'APR-1', zone: null }),
    ]);
    const table = await tax.t.json({
      method: 'GET',
      url: `/api/tax/register/depreciation?q=${encodeURIComponent('ตึก')}&limit=2`,
      headers: tax.revenue,
    });
    expect(table.body.total).toBe(3);
    expect(table.body.items.map((r: { ageFrom: number }) => r.ageFrom)).toEqual([0, 10]);
    const clerk = await tax.t.json({
      method: 'GET',
      url: '/api/tax/register/appraisals',
      headers: await tax.t.signIn('officer'),
    });
    expect(clerk.status).toBe(403);
  });

  it('refuses the table imports to other offices and files without their columns', async () => {
    const clerk = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/appraisals',
      headers: { ...(await tax.t.signIn('officer')), 'content-type': 'text/csv' },
      payload: `${appraisalHeader}\n2566,2569,,,Z1,,1`,
    });
    expect(clerk.status).toBe(403);
    const bad = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/depreciation',
      headers: { ...tax.revenue, 'content-type': 'text/csv' },
      payload: 'buildingType\nตึก',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('ageFrom');
  });
});
