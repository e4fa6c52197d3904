import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const codes = (status: { errors: { line: number; code: string }[] }) =>
  Object.fromEntries(status.errors.map((e) => [e.line, e.code]));

describe('owner import', () => {
  it('imports owners from a CSV, each bad ID and each duplicate reported by its line', async () => {
    const good = thaiId('310990055001');
    const juristic = thaiId('010555055002');
    const wrongDigit = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    const status = await tax.importFile(
      'owners',
      [
        'kind,taxId,name,address',
        `person,${good},นางเจ้าของ นำเข้า,"12 ถนนมิตรภาพ, ขอนแก่น"`,
        `juristic,${juristic},บริษัท นำเข้า จำกัด,`,
        `person,${wrongDigit},เลขผิด,`,
        `person,${good},ซ้ำในไฟล์,`,
        `company,${thaiId('310990055003')},ชนิดผิด,`,
        `person,12345,สั้น,`,
        `person,${thaiId('310990055004')},,`,
        `person,${thaiId('310990055005')},"x'); DROP TABLE tax_owners; --",`,
      ].join('\n'),
    );
    expect(status).toMatchObject({ status: 'done', total: 8, processed: 8, imported: 3 });
    expect(codes(status)).toEqual({
      4: 'tax_id',
      5: 'owner_registered',
      6: 'invalid',
      7: 'invalid',
      8: 'required',
    });
    const rows = await tax.t.db.rows<{ name: string; address: string | null; kind: string }>(
      sql`SELECT name, address, kind FROM tax_owners WHERE tax_id IN (${good}, ${juristic}) ORDER BY kind`,
    );
    expect(rows).toEqual([
      { name: 'บริษัท นำเข้า จำกัด', address: null, kind: 'juristic' },
      { name: 'นางเจ้าของ นำเข้า', address: '12 ถนนมิตรภาพ, ขอนแก่น', kind: 'person' },
    ]);
    const audited = await tax.t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.owner.import'`);
    expect(audited).toHaveLength(3);
    // Once more: every owner is already in the register.
    const again = await tax.importFile('owners', `kind,taxId,name\njuristic,${juristic},บริษัท นำเข้า จำกัด`);
    expect(again).toMatchObject({ imported: 0, errors: [{ line: 2, code: 'owner_registered' }] });
  });

  it('imports owners from an Excel workbook', async () => {
    const id = thaiId('310990055011');
    const data = [
      ['kind', 'taxId', 'name', 'address'].map((value) => ({ value })),
      ['person', id, 'นายเอ็กเซล เจ้าของ', null].map((value) => ({ value })),
      ['person', '1234567890122', 'เลขผิด', null].map((value) => ({ value })),
    ];
    const started = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/owners',
      headers: {
        ...tax.revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: await writeXlsxFile(data as never).toBuffer(),
    });
    expect(started.status).toBe(202);
    const status = await tax.finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', total: 2, imported: 1 });
    expect(codes(status)).toEqual({ 3: 'tax_id' });
  });
});

describe('mixed-use parcels in the parcel import', () => {
  const owner = thaiId('310990055021');
  const head = 'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,use,uses,mainHome,vacantYears';
  const row = (deed: string, use: string, uses: string, home = '', vacant = '') =>
    `${owner},person,นางหลายใช้ ประโยชน์,chanote,${deed},1,0,0,${use},"${uses}",${home},${vacant}`;

  it('takes a uses column of use:share[:status], refusing shares that do not add up to 100', async () => {
    const status = await tax.importFile(
      'parcels',
      [
        head,
        row('MIX-1', '', 'residential:60:land-and-building;other:40'),
        row('MIX-2', '', 'agriculture:50; vacant:50:4'),
        row('MIX-3', '', 'residential:60;other:30'),
        row('MIX-4', 'other', 'other:100'),
        row('MIX-5', '', 'other:50;other:50'),
        row('MIX-6', '', 'other:abc;vacant:50'),
        row('MIX-7', '', 'other:50:land-and-building;residential:50'),
        row('MIX-8', '', ''),
        row('MIX-9', 'residential', '', 'building-only'),
      ].join('\n'),
    );
    expect(codes(status)).toEqual({
      4: 'uses_shares',
      5: 'use_or_uses',
      6: 'uses_duplicate',
      7: 'uses_unreadable',
      8: 'uses_unreadable',
      9: 'use_or_uses',
      10: 'main_home_taken',
    });
    const parcels = await tax.t.db.rows<{ deed_no: string; uses: unknown }>(
      sql`SELECT deed_no, uses FROM tax_parcels WHERE deed_no LIKE 'MIX-%' ORDER BY deed_no`,
    );
    expect(parcels).toEqual([
      {
        deed_no: 'MIX-1',
        uses: [
          { use: 'residential', sharePercent: 60, mainHome: 'land-and-building' },
          { use: 'other', sharePercent: 40 },
        ],
      },
      {
        deed_no: 'MIX-2',
        uses: [
          { use: 'agriculture', sharePercent: 50 },
          { use: 'vacant', sharePercent: 50, vacantYears: 4 },
        ],
      },
    ]);
    expect(status.errors.find((e: { line: number }) => e.line === 4).error).toContain('90%');
  });

  it('reads the uses column from an Excel workbook too', async () => {
    const data = [
      head.split(',').map((value) => ({ value })),
      [
        owner,
        'person',
        'นางหลายใช้ ประโยชน์',
        'chanote',
        'MIX-X1',
        2,
        0,
        0,
        null,
        'agriculture:70;other:30',
        null,
        null,
      ].map((value) => ({ value })),
      [
        owner,
        'person',
        'นางหลายใช้ ประโยชน์',
        'chanote',
        'MIX-X2',
        2,
        0,
        0,
        null,
        'agriculture:70;other:20',
        null,
        null,
      ].map((value) => ({ value })),
    ];
    const started = await tax.t.json({
      method: 'POST',
      url: '/api/tax/imports/parcels',
      headers: {
        ...tax.revenue,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: await writeXlsxFile(data as never).toBuffer(),
    });
    const status = await tax.finished(started.body.id);
    expect(status).toMatchObject({ status: 'done', imported: 1 });
    expect(codes(status)).toEqual({ 3: 'uses_shares' });
  });
});
