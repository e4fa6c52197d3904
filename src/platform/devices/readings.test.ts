import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository, type ReadingRow } from './repository.ts';

let t: TestApp;
let deviceId: string;
let profileId: string;
let officer: Record<string, string>;
const minute = 60_000;
const start = Date.parse('2026-11-20T00:00:00Z');

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const manager = await t.tokenFor('office_manager');
  officer = await t.tokenFor('officer');
  const p = await t.json({
    method: 'POST',
    url: '/api/device-profiles',
    headers: manager,
    payload: {
      name: 'Air for rollups',
      decoder: { kind: 'cayenne-lpp' },
      quantities: [{ field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' }],
      rawRetentionDays: null,
    },
  });
  expect(p.body).toMatchObject({ rawRetentionDays: null, rollupRetentionDays: 1830 });
  profileId = p.body.id;
  const d = await t.json({
    method: 'POST',
    url: '/api/devices',
    headers: manager,
    payload: {
      devEui: '70B3D57ED00000BB',
      name: 'PM2.5 every minute',
      profileId: p.body.id,
      location: { lon: 102.835, lat: 16.425 },
    },
  });
  deviceId = d.body.id;
  // One pm25 reading a minute for two days, and a temperature every 30 minutes.
  const rows: ReadingRow[] = [];
  for (let i = 0; i < 2 * 24 * 60; i++) {
    const observedAt = new Date(start + i * minute).toISOString();
    rows.push({ deviceId, observedAt, quantity: 'pm25', value: i % 60, fCnt: i });
    if (i % 30 === 0) rows.push({ deviceId, observedAt, quantity: 'temperature', value: 25, fCnt: i });
  }
  const repo = new DeviceRepository(t.db);
  await t.db.transaction((tx) => repo.insertReadings(tx, rows));
});
afterAll(() => t?.close());

const get = (query: string) =>
  t.json({ method: 'GET', url: `/api/devices/${deviceId}/readings?${query}`, headers: officer });
const iso = (ms: number) => new Date(ms).toISOString();

describe('profile retention', () => {
  it('is set per profile, null keeps forever, and refuses nonsense', async () => {
    const manager = await t.tokenFor('office_manager');
    const patch = (payload: Record<string, unknown>) =>
      t.json({ method: 'PATCH', url: `/api/device-profiles/${profileId}`, headers: manager, payload });
    for (const bad of [0, -1, 1.5, 36501, '30', 'forever'])
      expect((await patch({ rawRetentionDays: bad })).status, String(bad)).toBe(400);
    expect((await patch({ rollupRetentionDays: null })).body).toMatchObject({
      rawRetentionDays: null,
      rollupRetentionDays: null,
    });
    expect((await patch({ name: 'Air for rollups' })).body).toMatchObject({ rollupRetentionDays: null });
    expect((await patch({ rawRetentionDays: null, rollupRetentionDays: 1830 })).body).toMatchObject({
      rawRetentionDays: null,
      rollupRetentionDays: 1830,
    });
  });
});

describe('readings by resolution', () => {
  it('reads raw readings while a range holds few, as before', async () => {
    const res = await get(`from=${iso(start)}&to=${iso(start + 100 * minute)}&quantity=pm25`);
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe('raw');
    expect(res.body.series).toHaveLength(100);
    expect(res.body.series[0]).toEqual({ quantity: 'pm25', value: 0, observedAt: expect.any(String) });
  });

  it('reads 5-minute buckets for a day of minute readings, hours for two days to a week, days beyond', async () => {
    const day = await get(`from=${iso(start)}&to=${iso(start + 24 * 60 * minute)}`);
    expect(day.body.resolution).toBe('5m');
    const pm = day.body.series.filter((p: { quantity: string }) => p.quantity === 'pm25');
    expect(pm).toHaveLength(288);
    expect(pm[0]).toMatchObject({ value: 2, min: 0, max: 4, count: 5, last: 4 });
    expect(Date.parse(pm[0].observedAt)).toBe(start);

    const two = await get(`from=${iso(start)}&to=${iso(start + 48 * 60 * minute)}&quantity=pm25`);
    expect(two.body.resolution).toBe('1h');
    expect(two.body.series).toHaveLength(48);
    const week = await get(`from=${iso(start)}&to=${iso(start + 7 * 24 * 60 * minute)}&quantity=pm25`);
    expect(week.body.resolution).toBe('1h');
    expect(week.body.series).toHaveLength(48);
    expect(week.body.series[0]).toMatchObject({ value: 29.5, min: 0, max: 59, count: 60 });
    const year = await get(`from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&quantity=pm25`);
    expect(year.body.resolution).toBe('1d');
    // 20 Nov 00:00 UTC is 07:00 in Bangkok: the first reading lands in the day that began 19 Nov 17:00 UTC.
    expect(
      year.body.series.map((p: { observedAt: string; count: number }) => [Date.parse(p.observedAt), p.count]),
    ).toEqual([
      [Date.parse('2026-11-19T17:00:00Z'), 17 * 60],
      [Date.parse('2026-11-20T17:00:00Z'), 24 * 60],
      [Date.parse('2026-11-21T17:00:00Z'), 7 * 60],
    ]);
  });

  it('reads the resolution asked for', async () => {
    const range = `from=${iso(start)}&to=${iso(start + 60 * minute)}&quantity=pm25`;
    expect((await get(`${range}&resolution=raw`)).body.series).toHaveLength(60);
    const hour = await get(`${range}&resolution=1h`);
    expect(hour.body).toMatchObject({ resolution: '1h', series: [{ count: 60, min: 0, max: 59 }] });
    expect((await get(`${range}&resolution=5m`)).body.series).toHaveLength(12);
  });

  it('answers bad parameters with 400 problem details', async () => {
    for (const query of [
      'resolution=2m',
      'resolution=',
      'resolution=AUTO',
      `resolution=raw'--`,
      'from=yesterday',
      'to=2026-13-01T00:00:00Z',
      'quantity=pm25%3B%20DROP%20TABLE%20dev_readings',
      'limit=0',
      'limit=abc',
      'extra=1',
      `from=${iso(start + minute)}&to=${iso(start)}`,
      `from=${iso(start)}&to=${iso(start)}`,
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type'], query).toContain('application/problem+json');
      expect(res.body.status, query).toBe(400);
    }
  });
});
