import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { type TestApp, testApp } from '../../core/testing/index.ts';

let t: TestApp;
let revenue: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
});
afterAll(() => t?.close());

const header =
  'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,use,mainHome,vacantYears,lon,lat';

async function finished(id: string) {
  for (let i = 0; i < 100; i++) {
    const res = await t.json({ method: 'GET', url: `/api/tax/imports/${id}`, headers: revenue });
    if (res.body.status !== 'running') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('parcel register import', () => {
  it('imports good rows in the background and reports bad ones by line', async () => {
    const csv = [
      `\uFEFF${header}`,
      '3109900123453,person,นายนำเข้า หนึ่ง,chanote,IMP-1,1,0,0,5000,residential,land-and-building,,102.81,16.45',
      '3109900123453,person,นายนำเข้า หนึ่ง,chanote,IMP-2,0,2,50,8000,other,,,102.86,16.40',
      '1234567890122,person,เลขผิด,chanote,IMP-3,1,0,0,5000,other,,,,',
      '0105550000015,juristic,บริษัท ขอนแก่นตัวอย่าง จำกัด,chanote,SYN-20001,1,0,0,5000,other,,,,',
      '3990100000122,person,นางบุญมี ทำนา,ns3k,IMP-4,5,0,0,900,agriculture,,,,',
      '3990100000122,person,นางบุญมี ทำนา,ns3k,IMP-5,five,0,0,900,agriculture,,,,',
    ].join('\r\n');
    const started = await t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...revenue, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(6);
    const status = await finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 6, processed: 6, imported: 3 });
    const errors = Object.fromEntries(
      status.errors.map((e: { line: number; error: string }) => [e.line, e.error]),
    );
    expect(errors[4]).toContain('check digit');
    expect(errors[5]).toContain('already registered');
    expect(errors[7]).toContain('rai');
    const parcels = await t.db.rows<{ deed_no: string; zone_code: string | null; area_m2: string }>(
      sql`SELECT deed_no, zone_code, area_m2::text FROM tax_parcels WHERE deed_no LIKE 'IMP-%' ORDER BY deed_no`,
    );
    expect(parcels.map((p) => [p.deed_no, p.zone_code])).toEqual([
      ['IMP-1', 'zone-1'],
      ['IMP-2', 'zone-4'],
      ['IMP-4', null],
    ]);
    expect(Number(parcels[1].area_m2)).toBe(800 + 200);
    const owners = await t.db.rows(sql`SELECT 1 FROM tax_owners WHERE tax_id = '3109900123453'`);
    expect(owners).toHaveLength(1);
    const audited = await t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.parcel.import'`);
    expect(audited).toHaveLength(3);
  });

  it('refuses a file without the required columns, and other offices', async () => {
    const bad = await t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...revenue, 'content-type': 'text/csv' },
      payload: 'a,b\n1,2',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('missing columns');
    const clerk = await t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...(await t.signIn('officer')), 'content-type': 'text/csv' },
      payload: header,
    });
    expect(clerk.status).toBe(403);
  });

  it('imports the same register from an Excel workbook', async () => {
    const columns = header.split(',');
    const data = [
      columns.map((value) => ({ value })),
      [
        '3109900123453',
        'person',
        'นายเอ็กเซล',
        'chanote',
        'XLS-1',
        2,
        1,
        10,
        3000,
        'other',
        null,
        null,
        102.82,
        16.44,
      ].map((value) => ({ value })),
      [
        '3109900123453',
        'person',
        'นายเอ็กเซล',
        'chanote',
        'XLS-2',
        'many',
        0,
        0,
        3000,
        'other',
        null,
        null,
        null,
        null,
      ].map((value) => ({ value })),
    ];
    const xlsx = await writeXlsxFile(data as never).toBuffer();
    const started = await t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: {
        ...revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: xlsx,
    });
    expect(started.status).toBe(202);
    const status = await finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 2, imported: 1 });
    expect(status.errors[0]).toMatchObject({ line: 3 });
    const [row] = await t.db.rows<{ area_m2: string; zone_code: string }>(
      sql`SELECT area_m2::text, zone_code FROM tax_parcels WHERE deed_no = 'XLS-1'`,
    );
    expect(Number(row.area_m2)).toBe(2 * 1600 + 400 + 40);
    expect(row.zone_code).toBe('zone-1');
    const junk = await t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: {
        ...revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: Buffer.from('not a zip file'),
    });
    expect(junk.status).toBe(400);
  });
});
