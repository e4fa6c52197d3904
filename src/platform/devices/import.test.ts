import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { checkRecord, importRecords } from './import-rows.ts';

let t: TestApp;
let profileId: string;
const header = 'devEui,name,profile,office,lon,lat,installedOn,tags,expectedIntervalS';
const eui = (i: number) => `ab00${i.toString(16).padStart(12, '0')}`;

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const created = await t.json({
    method: 'POST',
    url: '/api/device-profiles',
    headers: await t.tokenFor('admin'),
    payload: { name: 'Import LPP', decoder: { kind: 'cayenne-lpp' } },
  });
  profileId = created.body.id;
});
afterAll(() => t?.close());

async function importCsv(csv: string, role: 'officer' | 'admin' | 'office_manager' = 'officer') {
  const headers = { ...(await t.tokenFor(role)), 'content-type': 'text/csv' };
  const res = await t.json({ method: 'POST', url: '/api/devices/import', headers, payload: csv });
  if (res.status !== 202) return { start: res, status: null };
  let status = (await t.json({ method: 'GET', url: `/api/devices/imports/${res.body.id}`, headers })).body;
  while (status.status === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    status = (await t.json({ method: 'GET', url: `/api/devices/imports/${res.body.id}`, headers })).body;
  }
  return { start: res, status };
}

describe('CSV rows', () => {
  it('reports every bad column of a row, and reads a good one', () => {
    const bad = checkRecord(
      {
        devEui: 'xyz',
        name: '',
        profile: 'p',
        lon: 'east',
        lat: '99',
        installedOn: '2026-02-30',
        tags: 'a;b c',
        expectedIntervalS: '5',
      },
      7,
    );
    expect('errors' in bad && bad.errors.map((e) => e.column)).toEqual([
      'name',
      'devEui',
      'lon',
      'lat',
      'installedOn',
      'tags',
      'expectedIntervalS',
    ]);
    expect('errors' in bad && bad.errors.every((e) => e.row === 7)).toBe(true);
    const good = checkRecord(
      {
        devEui: 'AB00000000000001',
        name: 'x',
        profile: 'p',
        lon: '102.83',
        lat: '16.43',
        tags: 'air; lake',
        expectedIntervalS: '600',
      },
      2,
    );
    expect(good).toEqual({
      row: {
        row: 2,
        devEui: 'ab00000000000001',
        name: 'x',
        profile: 'p',
        office: null,
        lon: 102.83,
        lat: 16.43,
        installedOn: null,
        tags: ['air', 'lake'],
        expectedIntervalS: 600,
      },
    });
  });
  it('refuses a file without the required columns', () => {
    expect(() => importRecords('devEui,name\nab00000000000001,x')).toThrow(/profile, lon, lat/);
  });
});

describe('POST /api/devices/import', () => {
  it('stores the good rows, reports bad rows, duplicates, injection and out-of-area by row and column', async () => {
    await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: await t.tokenFor('officer'),
      payload: { devEui: eui(99), name: 'Already there', profileId, location: { lon: 102.835, lat: 16.43 } },
    });
    const csv = [
      header,
      `${eui(1)},Good one,Import LPP,,102.835,16.43,2026-01-15,air;lake,600`,
      `${eui(2)},"Robert'); DROP TABLE dev_devices; --",${profileId},clerk,102.836,16.431,,,`,
      `${eui(99)},Duplicate of registered,Import LPP,,102.835,16.43,,,`,
      `${eui(1)},Duplicate in file,Import LPP,,102.835,16.43,,,`,
      `${eui(3)},Bangkok,Import LPP,,100.5,13.75,,,`,
      `${eui(4)},Other office,Import LPP,finance,102.835,16.43,,,`,
      `${eui(5)},No profile,Nope,,102.835,16.43,,,`,
      `${eui(6)},Bad tag,Import LPP,,102.835,16.43,,<script>,`,
      `not-hex,Bad eui,Import LPP,,102.835,16.43,,,`,
    ].join('\n');
    const { start, status } = await importCsv(csv);
    expect(start.status).toBe(202);
    expect(start.body.total).toBe(9);
    expect(status).toMatchObject({ status: 'done', total: 9, processed: 9, imported: 2 });
    expect(status.errors).toEqual([
      {
        row: 4,
        column: 'devEui',
        code: 'registered',
        params: { devEui: eui(99) },
        message: `DevEUI ${eui(99)} is registered already`,
      },
      {
        row: 5,
        column: 'devEui',
        code: 'same_dev_eui',
        params: { line: 2 },
        message: 'the same DevEUI is on line 2',
      },
      { row: 6, column: 'lon', code: 'outside', message: 'the place is outside the municipality' },
      {
        row: 7,
        column: 'office',
        code: 'own_office',
        message: 'you register devices for your own office only',
      },
      { row: 8, column: 'profile', code: 'no_profile', message: 'no such device profile' },
      { row: 9, column: 'tags', code: 'tag_characters', message: expect.stringContaining('characters') },
      { row: 10, column: 'devEui', code: 'hex16', message: 'not 16 hex digits' },
    ]);
    const list = await t.json({
      method: 'GET',
      url: '/api/devices?limit=1000',
      headers: await t.tokenFor('officer'),
    });
    const one = list.body.find((d: { devEui: string }) => d.devEui === eui(1));
    expect(one).toMatchObject({
      name: 'Good one',
      tags: ['air', 'lake'],
      installedOn: '2026-01-15',
      expectedIntervalS: 600,
    });
    expect(list.body.find((d: { devEui: string }) => d.devEui === eui(2)).name).toBe(
      "Robert'); DROP TABLE dev_devices; --",
    );
    const [audited] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'devices.device.create' AND detail->>'importId' = ${start.body.id}`,
    );
    expect(audited.n).toBe(2);
    // Again: everything is a duplicate now, nothing changes.
    const again = await importCsv(csv);
    expect(again.status.imported).toBe(0);
  });

  it('imports six hundred rows (three batches) in batches, with progress to the end', async () => {
    const rows = Array.from(
      { length: 600 },
      (_, i) => `${eui(1000 + i)},Sensor ${i},Import LPP,engineering,102.83,16.43,,bulk,`,
    );
    const { status } = await importCsv([header, ...rows].join('\n'), 'admin');
    expect(status).toMatchObject({
      status: 'done',
      total: 600,
      processed: 600,
      imported: 600,
      errors: [],
    });
    const list = await t.json({
      method: 'GET',
      url: '/api/devices?tag=bulk&limit=1000&offset=100',
      headers: await t.tokenFor('admin'),
    });
    expect(list.body).toHaveLength(500);
  });

  it('refuses a huge file, an empty one, missing columns, other media types, and citizens', async () => {
    const officer = await t.tokenFor('officer');
    const huge = `${header}\n${`${eui(5000)},${'x'.repeat(190)},Import LPP,,102.83,16.43,,,\n`.repeat(60_000)}`;
    expect((await importCsv(huge)).start.status).toBe(413);
    const many = `${header}\n${`${eui(5000)},x,p,,1,1,,,\n`.repeat(20_001)}`;
    expect((await importCsv(many)).start.status).toBe(400);
    expect((await importCsv(header)).start.status).toBe(400);
    const missing = await importCsv('devEui,name\nab00000000000001,x');
    expect(missing.start.status).toBe(400);
    expect(missing.start.body.detail).toMatch(/^ไฟล์ขาดคอลัมน์ที่จำเป็น: profile, /);
    const missingEn = await t.json({
      method: 'POST',
      url: '/api/devices/import',
      headers: { ...officer, 'content-type': 'text/csv', 'accept-language': 'en' },
      payload: 'devEui,name\nab00000000000001,x',
    });
    expect(missingEn.body.detail).toMatch(/^missing columns: profile, /);
    const json = await t.json({
      method: 'POST',
      url: '/api/devices/import',
      headers: officer,
      payload: { a: 1 },
    });
    expect(json.status).toBe(400);
    const citizen = await t.json({
      method: 'POST',
      url: '/api/devices/import',
      headers: { ...(await t.tokenFor('citizen')), 'content-type': 'text/csv' },
      payload: header,
    });
    expect(citizen.status).toBe(403);
    // Another operator's import is not theirs to read.
    const { start } = await importCsv(`${header}\n${eui(7000)},x,Import LPP,,102.83,16.43,,,`, 'admin');
    const peek = await t.json({
      method: 'GET',
      url: `/api/devices/imports/${start.body.id}`,
      headers: officer,
    });
    expect(peek.status).toBe(404);
  });
});
