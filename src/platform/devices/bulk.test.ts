import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

/** The HTTP bulk endpoint for non-LoRa devices and their tokens. */
let t: TestApp;
let deviceId: string;
let token: string;
beforeAll(async () => {
  t = await testApp({ modules: [] });
  const admin = await t.tokenFor('admin');
  const offices = await t.json({ method: 'GET', url: '/api/org/offices' });
  const profile = await t.json({
    method: 'POST',
    url: '/api/device-profiles',
    headers: admin,
    payload: {
      name: 'Water level (HTTP)',
      decoder: { kind: 'json' },
      quantities: [{ field: 'waterLevel', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    },
  });
  const created = await t.json({
    method: 'POST',
    url: '/api/devices',
    headers: admin,
    payload: {
      devEui: '70b3d57ed00000ff',
      name: 'Canal gauge (HTTP)',
      profileId: profile.body.id,
      officeId: offices.body[0].id,
      location: { lon: 102.83, lat: 16.44 },
      tags: [],
    },
  });
  expect(created.status).toBe(201);
  deviceId = created.body.id;
});
afterAll(() => t?.close());

const post = (payload: unknown, headers: Record<string, string> = { 'x-device-token': token }) =>
  t.json({ method: 'POST', url: '/api/ingest/readings', headers, payload: payload as object });
const stored = () =>
  t.db.rows<{ value: number }>(
    sql`SELECT value FROM dev_readings WHERE device_id = ${deviceId} ORDER BY observed_at`,
  );

describe('device tokens', () => {
  it('issues a token shown once, stored hashed, audited; citizens and other offices may not', async () => {
    expect(
      (
        await t.json({
          method: 'POST',
          url: `/api/devices/${deviceId}/token`,
          headers: await t.tokenFor('citizen'),
        })
      ).status,
    ).toBe(403);
    const res = await t.json({
      method: 'POST',
      url: `/api/devices/${deviceId}/token`,
      headers: await t.tokenFor('admin'),
    });
    expect(res.status).toBe(201);
    token = res.body.token;
    expect(token).toMatch(/^mdt_[A-Za-z0-9_-]{32}$/);
    const [row] = await t.db.rows<{ hash: string }>(
      sql`SELECT token_hash AS hash FROM dev_devices WHERE id = ${deviceId}`,
    );
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).not.toContain(token);
    const audit = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'devices.token.issue' AND resource_id = ${deviceId}`,
    );
    expect(audit).toHaveLength(1);
    const device = await t.json({
      method: 'GET',
      url: `/api/devices/${deviceId}`,
      headers: await t.tokenFor('admin'),
    });
    expect(device.body.hasToken).toBe(true);
    expect(JSON.stringify(device.body)).not.toContain(token);
  });

  it('rotates: the old token stops working', async () => {
    const old = token;
    const res = await t.json({
      method: 'POST',
      url: `/api/devices/${deviceId}/token`,
      headers: await t.tokenFor('admin'),
    });
    token = res.body.token;
    expect(token).not.toBe(old);
    expect(
      (await post({ readings: [{ values: { waterLevel: 1 } }] }, { 'x-device-token': old })).status,
    ).toBe(401);
  });
});

describe('expected interval', () => {
  it('is set per device by its keepers, audited, validated, and shown', async () => {
    const url = `/api/devices/${deviceId}/expected-interval`;
    const admin = await t.tokenFor('admin');
    expect(
      (
        await t.json({
          method: 'PUT',
          url,
          headers: await t.tokenFor('citizen'),
          payload: { expectedIntervalS: 60 },
        })
      ).status,
    ).toBe(403);
    for (const bad of [5, '60', 1e9, 60.5])
      expect(
        (await t.json({ method: 'PUT', url, headers: admin, payload: { expectedIntervalS: bad } })).status,
      ).toBe(400);
    expect(
      (await t.json({ method: 'PUT', url, headers: admin, payload: { expectedIntervalS: 120 } })).status,
    ).toBe(204);
    const device = await t.json({ method: 'GET', url: `/api/devices/${deviceId}`, headers: admin });
    expect(device.body.expectedIntervalS).toBe(120);
    const audit = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'devices.device.interval' AND resource_id = ${deviceId}`,
    );
    expect(audit).toHaveLength(1);
  });
});

describe('POST /api/ingest/readings', () => {
  it('stores many readings after commit and counts duplicates', async () => {
    const body = {
      readings: [
        { time: '2026-11-25T01:00:00Z', values: { waterLevel: 1.25 } },
        { time: '2026-11-25T01:05:00Z', values: { waterLevel: 1.3 } },
        { time: '2026-11-25T01:05:00Z', values: { waterLevel: 1.3 } },
      ],
    };
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 2, duplicates: 1 });
    expect((await stored()).map((r) => r.value)).toEqual([1.25, 1.3]);
    const again = await post(body);
    expect(again.body).toEqual({ stored: 0, duplicates: 3 });
    const device = await t.json({
      method: 'GET',
      url: `/api/devices/${deviceId}`,
      headers: await t.tokenFor('admin'),
    });
    expect(device.body.lastSeenAt).toMatch(/^2026-11-25T01:05:00/);
  });

  it('refuses a missing or wrong token with a problem, and writes nothing', async () => {
    const before = (await stored()).length;
    const missing = await post({ readings: [{ values: { waterLevel: 9 } }] }, {});
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'devices.token_required', status: 401 });
    const wrong = await post(
      { readings: [{ values: { waterLevel: 9 } }] },
      { 'x-device-token': 'mdt_wrong' },
    );
    expect(wrong.body).toMatchObject({ code: 'devices.token_invalid', status: 401 });
    const injected = await post(
      { readings: [{ values: { waterLevel: 9 } }] },
      { 'x-device-token': "' OR 1=1 --" },
    );
    expect(injected.status).toBe(401);
    expect((await stored()).length).toBe(before);
  });

  it.each([
    ['wrong types', { readings: [{ values: { waterLevel: '1.2' } }] }],
    ['a bad time', { readings: [{ time: 'tomorrow', values: { waterLevel: 1 } }] }],
    ['no readings', { readings: [] }],
    ['an extra field', { readings: [{ values: { waterLevel: 1 } }], device: 'other' }],
    [
      'an injection as quantity',
      { readings: [{ values: { "waterLevel'; DROP TABLE dev_readings;--": 1 } }] },
    ],
    ['too many readings', { readings: Array.from({ length: 1001 }, () => ({ values: { waterLevel: 1 } })) }],
  ])('refuses %s with 400 problem details', async (_label, body) => {
    const before = (await stored()).length;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'request.invalid' });
    expect((await stored()).length).toBe(before);
  });

  it('refuses a quantity the profile does not measure, naming it', async () => {
    const res = await post({ readings: [{ values: { waterLevel: 2, noise: 70 } }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'devices.unknown_quantity',
      detail: 'โปรไฟล์ของอุปกรณ์ไม่ได้วัดค่า noise',
      errors: [{ path: '/readings/0/values', message: 'โปรไฟล์ของอุปกรณ์ไม่ได้วัดค่า noise' }],
    });
    const en = await post(
      { readings: [{ values: { waterLevel: 2, noise: 70 } }] },
      { 'x-device-token': token, 'accept-language': 'en' },
    );
    expect(en.body).toMatchObject({
      detail: 'the profile measures no noise',
      errors: [{ path: '/readings/0/values', message: 'the profile measures no noise' }],
    });
  });

  it('refuses an oversized body with 413', async () => {
    const huge = { readings: [{ values: { waterLevel: 1 } }], pad: 'x'.repeat(1024 * 1024 + 10) };
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'request.too_large' });
  });
});
