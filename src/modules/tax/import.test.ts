import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { byLine, taxTestApp } from './testing.ts';

const tax = taxTestApp();
const { importFile, finished } = tax;

const header =
  'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,use,mainHome,vacantYears,lon,lat';

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
      '3990100000122,person,นางบุญมี ทำนา,ns3k,IMP-6,1,0,0,900,residential,,3,,',
    ].join('\r\n');
    const started = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...tax.revenue, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(7);
    const status = await finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 7, processed: 7, imported: 3 });
    const errors = Object.fromEntries(
      status.errors.map((e: { line: number; error: string }) => [e.line, e.error]),
    );
    expect(errors[4]).toContain('check digit');
    expect(errors[5]).toContain('already registered');
    expect(errors[7]).toContain('rai');
    expect(errors[8]).toBe('vacantYears: only for vacant land');
    const parcels = await tax.t.db.rows<{ deed_no: string; zone_code: string | null; area_m2: string }>(
      sql`SELECT deed_no, zone_code, area_m2::text FROM tax_parcels WHERE deed_no LIKE 'IMP-%' ORDER BY deed_no`,
    );
    expect(parcels.map((p) => [p.deed_no, p.zone_code])).toEqual([
      ['IMP-1', 'zone-1'],
      ['IMP-2', 'zone-4'],
      ['IMP-4', null],
    ]);
    expect(Number(parcels[1].area_m2)).toBe(800 + 200);
    const owners = await tax.t.db.rows(sql`SELECT 1 FROM tax_owners WHERE tax_id = '3109900123453'`);
    expect(owners).toHaveLength(1);
    const audited = await tax.t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.parcel.import'`);
    expect(audited).toHaveLength(3);
  });

  it('refuses a file without the required columns, and other offices', async () => {
    const bad = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...tax.revenue, 'content-type': 'text/csv' },
      payload: 'a,b\n1,2',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^ไฟล์ขาดคอลัมน์ที่จำเป็น: \w/);
    const badEn = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...tax.revenue, 'content-type': 'text/csv', 'accept-language': 'en' },
      payload: 'a,b\n1,2',
    });
    expect(badEn.body.detail).toMatch(/^missing columns: \w/);
    const clerk = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: { ...(await tax.t.signIn('officer')), 'content-type': 'text/csv' },
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
    const started = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: {
        ...tax.revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: xlsx,
    });
    expect(started.status).toBe(202);
    const status = await finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 2, imported: 1 });
    expect(status.errors[0]).toMatchObject({ line: 3 });
    const [row] = await tax.t.db.rows<{ area_m2: string; zone_code: string }>(
      sql`SELECT area_m2::text, zone_code FROM tax_parcels WHERE deed_no = 'XLS-1'`,
    );
    expect(Number(row.area_m2)).toBe(2 * 1600 + 400 + 40);
    expect(row.zone_code).toBe('zone-1');
    const junk = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: {
        ...tax.revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: Buffer.from('not a zip file'),
    });
    expect(junk.status).toBe(400);
  });
});

describe('building import', () => {
  it('adds buildings to registered parcels and reports the ugly rows by line', async () => {
    const parcels = await importFile(
      'parcels',
      [
        header,
        '3109900123453,person,นายอาคาร สอง,chanote,BLD-1,1,0,0,5000,residential,,,,',
        '3109900123453,person,นายอาคาร สอง,chanote,BLD-2,1,0,0,5000,other,,,,',
      ].join('\n'),
    );
    expect(parcels.imported).toBe(2);
    const injection = "x'); DROP TABLE tax_buildings; --";
    const status = await importFile(
      'buildings',
      [
        'deedKind,deedNo,buildingNo,kind,floorAreaM2,costPerM2Baht,ageYears,depreciationPercent',
        'chanote,BLD-1,12/3,ตึก,120,7000,10,20',
        'chanote,BLD-2,1,ตึก,300.5,9000,0,0',
        'chanote,BLD-2,1,ตึก,300.5,9000,0,0', // the same building twice
        'chanote,NO-SUCH-DEED,1,ตึก,100,7000,1,1',
        `chanote,"${injection}",1,ตึก,100,7000,1,1`,
        'chanote,BLD-1,2,ตึก,-40,7000,1,1',
        'chanote,BLD-1,3,ตึก,40,7000,-2,1',
        'chanote,BLD-1,4,ตึก,40,7000,5,140',
        'castle,BLD-1,5,ตึก,40,7000,5,10',
        'chanote,BLD-1,6,,40,7000,5,10',
        'chanote,BLD-1,7,ไม้,forty,7000,5,10',
      ].join('\n'),
    );
    expect(status).toMatchObject({
      kind: 'buildings',
      status: 'done',
      total: 11,
      processed: 11,
      imported: 2,
    });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(errors[4]).toContain('already registered');
    expect(errors[5]).toContain('no such parcel');
    expect(errors[6]).toContain('no such parcel');
    expect(errors[7]).toContain('floorAreaM2');
    expect(errors[8]).toContain('ageYears');
    expect(errors[9]).toContain('depreciationPercent');
    expect(errors[10]).toContain('deedKind');
    expect(errors[11]).toContain('kind');
    expect(errors[12]).toContain('floorAreaM2');
    const rows = await tax.t.db.rows<{ deed_no: string; building_no: string; floor_area_m2: string }>(
      sql`SELECT p.deed_no, b.building_no, b.floor_area_m2::text FROM tax_buildings b JOIN tax_parcels p ON p.id = b.parcel_id
        WHERE p.deed_no LIKE 'BLD-%' ORDER BY p.deed_no`,
    );
    expect(rows.map((r) => [r.deed_no, r.building_no, Number(r.floor_area_m2)])).toEqual([
      ['BLD-1', '12/3', 120],
      ['BLD-2', '1', 300.5],
    ]);
    const audited = await tax.t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.building.import'`,
    );
    expect(audited).toHaveLength(2);
  });

  it('refuses a building file without its columns', async () => {
    const res = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/buildings',
      headers: { ...tax.revenue, 'content-type': 'text/csv' },
      payload: 'deedKind,deedNo\nchanote,BLD-1',
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('buildingNo');
  });
});

describe('signboard import', () => {
  it('registers signs with their owners and reports the ugly rows by line', async () => {
    const injection = "'; DELETE FROM tax_signs; --";
    const status = await importFile(
      'signs',
      [
        'ownerTaxId,ownerKind,ownerName,widthCm,heightCm,type,moving,text,lon,lat',
        '0105550000015,juristic,บริษัท ป้ายดี จำกัด,300,100,2,false,ร้านป้ายดี,102.83,16.43',
        '0105550000015,juristic,บริษัท ป้ายดี จำกัด,300,100,2,false,ร้านป้ายดี,102.83,16.43', // repeated
        `3109900123453,person,"${injection}",50,50,1,true,"${injection}",,`,
        '1234567890122,person,เลขผิด,100,100,1,false,x,,',
        '3109900123453,person,ลบ,-100,100,1,false,x,,',
        '3109900123453,person,ศูนย์,0,100,1,false,x,,',
        '3109900123453,person,ประเภท,100,100,4,false,x,,',
        '3109900123453,person,เคลื่อน,100,100,1,maybe,x,,',
        '3109900123453,person,ที่ไกล,100,100,1,false,x,100.5,13.7',
        '3109900123453,person,ครึ่งพิกัด,100,100,1,false,x,102.83,',
        '12345,person,สั้น,100,100,1,false,x,,',
      ].join('\n'),
    );
    expect(status).toMatchObject({ kind: 'signs', status: 'done', total: 11, imported: 2 });
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(errors[3]).toContain('already registered');
    expect(errors[5]).toContain('check digit');
    expect(errors[6]).toContain('widthCm');
    expect(errors[7]).toContain('widthCm');
    expect(errors[8]).toContain('type');
    expect(errors[9]).toContain('moving');
    expect(errors[10]).toContain('lon');
    expect(errors[11]).toContain('give both');
    expect(errors[12]).toContain('ownerTaxId');
    // The injection string is kept as text, and nothing was deleted.
    const [sign] = await tax.t.db.rows<{ text_content: string; status: string }>(
      sql`SELECT s.text_content, s.status FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id
        WHERE o.tax_id = '3109900123453' AND s.width_cm = 50`,
    );
    expect(sign).toEqual({ text_content: injection, status: 'registered' });
    const company = await tax.t.db.rows(
      sql`SELECT 1 FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id WHERE o.tax_id = '0105550000015' AND s.text_content = 'ร้านป้ายดี'`,
    );
    expect(company).toHaveLength(1);
    // Imported signs are assessed like any registered sign.
    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBe(200);
    const [bill] = await tax.t.db.rows<{ amount_satang: string }>(
      sql`SELECT b.amount_satang::text FROM tax_bills b JOIN tax_signs s ON s.id = b.sign_id WHERE s.text_content = 'ร้านป้ายดี'`,
    );
    expect(Number(bill.amount_satang)).toBe(60 * 26 * 100);
  });

  it('imports signs from an Excel workbook too', async () => {
    const columns = ['ownerTaxId', 'ownerKind', 'ownerName', 'widthCm', 'heightCm', 'type', 'moving', 'text'];
    const data = [
      columns.map((value) => ({ value })),
      ['3990100000122', 'person', 'นางป้าย เอ็กเซล', 120, 80, 1, true, 'XLS-SIGN'].map((value) => ({ value })),
      ['3990100000122', 'person', 'นางป้าย เอ็กเซล', 120, 80, 9, true, 'XLS-SIGN-2'].map((value) => ({
        value,
      })),
    ];
    const started = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/signs',
      headers: {
        ...tax.revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: await writeXlsxFile(data as never).toBuffer(),
    });
    expect(started.status).toBe(202);
    const status = await finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 2, imported: 1 });
    expect(status.errors).toEqual([
      {
        line: 3,
        error: expect.stringContaining('type'),
        code: 'invalid',
        params: expect.objectContaining({ column: expect.any(String) }),
      },
    ]);
    const [row] = await tax.t.db.rows<{ moving: boolean }>(
      sql`SELECT moving FROM tax_signs WHERE text_content = 'XLS-SIGN'`,
    );
    expect(row.moving).toBe(true);
  });
});
