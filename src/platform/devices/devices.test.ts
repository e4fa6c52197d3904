import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { DeviceRepository } from './repository.ts';

let t: TestApp;
let offices: Map<string, string>;
let profileId: string;
beforeAll(async () => {
  t = await testApp({ modules: [] });
  const res = await t.json({ method: 'GET', url: '/api/org/offices' });
  offices = new Map(res.body.map((o: { code: string; id: string }) => [o.code, o.id]));
});
afterAll(() => t?.close());

const airProfile = {
  name: 'Air quality (LPP)',
  decoder: { kind: 'cayenne-lpp' },
  quantities: [
    { field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' },
    { field: 'temperature_2', quantity: 'temperature', unit: 'CEL' },
  ],
  entityType: 'AirQualityObserved',
};
const device = (over: Record<string, unknown> = {}) => ({
  devEui: '70B3D57ED0000001',
  name: 'PM2.5 at Bueng Kaen Nakhon',
  profileId,
  location: { lon: 102.835, lat: 16.425 },
  installedOn: '2026-01-15',
  tags: ['air', 'lake'],
  ...over,
});

describe('device profiles', () => {
  it('lets an office manager add a profile, and refuses officers, citizens and the anonymous', async () => {
    const manager = await t.tokenFor('office_manager');
    const created = await t.json({
      method: 'POST',
      url: '/api/device-profiles',
      headers: manager,
      payload: airProfile,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: airProfile.name, entityType: 'AirQualityObserved' });
    profileId = created.body.id;
    for (const role of ['officer', 'citizen'] as const) {
      const res = await t.json({
        method: 'POST',
        url: '/api/device-profiles',
        headers: await t.tokenFor(role),
        payload: { ...airProfile, name: `x ${role}` },
      });
      expect(res.status).toBe(403);
    }
    expect((await t.json({ method: 'POST', url: '/api/device-profiles', payload: airProfile })).status).toBe(
      401,
    );
    const dup = await t.json({
      method: 'POST',
      url: '/api/device-profiles',
      headers: manager,
      payload: airProfile,
    });
    expect(dup.status).toBe(409);
    expect(dup.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses decoders that are code, unknown kinds, bad layouts and injection in names of fields', async () => {
    const manager = await t.tokenFor('office_manager');
    const bad = [
      { kind: 'javascript', source: 'function decode(b) { return {}; }' },
      { kind: 'cayenne-lpp', script: 'x' },
      { kind: 'bytes', fields: [] },
      { kind: 'bytes', fields: [{ field: 'x', offset: 0, length: 8, signed: false, endianness: 'big' }] },
      { kind: 'bytes', fields: [{ field: 'x', offset: 0, length: 2, signed: 'no', endianness: 'big' }] },
      { kind: 'json', fields: [{ field: "x'; DROP TABLE dev_devices; --", path: 'a' }] },
      { kind: 'json', fields: [{ field: 'x', path: 'a..b' }] },
    ];
    for (const decoder of bad) {
      const res = await t.json({
        method: 'POST',
        url: '/api/device-profiles',
        headers: manager,
        payload: { ...airProfile, name: 'bad', decoder },
      });
      expect(res.status, JSON.stringify(decoder)).toBe(400);
    }
    const badType = await t.json({
      method: 'POST',
      url: '/api/device-profiles',
      headers: manager,
      payload: { ...airProfile, name: 'bad', entityType: 'urn:x y' },
    });
    expect(badType.status).toBe(400);
  });

  it('changes a profile and audits it', async () => {
    const res = await t.json({
      method: 'PATCH',
      url: `/api/device-profiles/${profileId}`,
      headers: await t.tokenFor('office_manager'),
      payload: { entityType: 'AirQualityObserved', quantities: airProfile.quantities },
    });
    expect(res.status).toBe(200);
    const rows = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action LIKE 'devices.profile.%' AND resource_id = ${profileId}`,
    );
    expect(rows[0].n).toBe(2);
  });
});

describe('devices', () => {
  it('registers a device for the officer’s own office, with its zone, lower-cased DevEUI, audited', async () => {
    const officer = await t.tokenFor('officer');
    const res = await t.json({ method: 'POST', url: '/api/devices', headers: officer, payload: device() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      devEui: '70b3d57ed0000001',
      officeId: offices.get('clerk'),
      installedOn: '2026-01-15',
      tags: ['air', 'lake'],
      location: { lon: 102.835, lat: 16.425 },
      lastSeenAt: null,
    });
    expect(res.body.zoneCode).toBeTruthy();
    const audits = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'devices.device.create' AND resource_id = ${res.body.id}`,
    );
    expect(audits[0].n).toBe(1);
    const listed = await t.json({ method: 'GET', url: '/api/devices?tag=lake', headers: officer });
    expect(listed.body.map((d: { id: string }) => d.id)).toEqual([res.body.id]);
    const none = await t.json({ method: 'GET', url: '/api/devices?tag=river', headers: officer });
    expect(none.body).toEqual([]);
  });

  it('refuses the same DevEUI twice, whatever its case', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: await t.tokenFor('admin'),
      payload: device({ devEui: '70b3d57ed0000001', officeId: offices.get('clerk') }),
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('devices.dev_eui_taken');
  });

  it.each([
    ['too short', '70B3D57ED00001'],
    ['too long', '70B3D57ED000000100'],
    ['not hex', '70B3D57ED000000G'],
    ['separators', '70-B3-D5-7E-D0-00'],
    ['injection', "0000000000000000' OR '1'='1"],
    ['a number', 7],
  ])('refuses a bad DevEUI (%s)', async (_label, devEui) => {
    const res = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: await t.tokenFor('officer'),
      payload: device({ devEui }),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a location outside the municipality, and impossible coordinates', async () => {
    const officer = await t.tokenFor('officer');
    const bangkok = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: device({ devEui: '70B3D57ED0000002', location: { lon: 100.5018, lat: 13.7563 } }),
    });
    expect(bangkok.status).toBe(400);
    expect(bangkok.body.code).toBe('org.outside_municipality');
    const impossible = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: device({ devEui: '70B3D57ED0000002', location: { lon: 102.8, lat: 95 } }),
    });
    expect(impossible.status).toBe(400);
  });

  it('refuses unknown profiles, unknown fields, and a huge body', async () => {
    const officer = await t.tokenFor('officer');
    const unknown = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: device({ devEui: '70B3D57ED0000003', profileId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(unknown.status).toBe(400);
    const extra = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: { ...device({ devEui: '70B3D57ED0000003' }), lastSeenAt: '2026-01-01T00:00:00Z' },
    });
    expect(extra.status).toBe(400);
    const huge = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: device({ devEui: '70B3D57ED0000003', name: 'x'.repeat(2_000_000) }),
    });
    expect([400, 413]).toContain(huge.status);
  });

  it('keeps office-bound staff to their own office’s devices', async () => {
    const officer = await t.tokenFor('officer'); // clerk
    const finance = await t.signInAs('revenue@demo.local'); // an officer of the finance office
    const forOther = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: officer,
      payload: device({ devEui: '70B3D57ED0000004', officeId: offices.get('finance') }),
    });
    expect(forOther.status).toBe(403);
    const [mine] = (await t.json({ method: 'GET', url: '/api/devices', headers: officer })).body;
    const change = await t.json({
      method: 'PATCH',
      url: `/api/devices/${mine.id}`,
      headers: finance,
      payload: { name: 'taken over' },
    });
    expect(change.status).toBe(403);
    const remove = await t.json({ method: 'DELETE', url: `/api/devices/${mine.id}`, headers: finance });
    expect(remove.status).toBe(403);
    const own = await t.json({
      method: 'PATCH',
      url: `/api/devices/${mine.id}`,
      headers: officer,
      payload: { name: 'PM2.5 north shore', location: { lon: 102.81, lat: 16.45 } },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ name: 'PM2.5 north shore', location: { lon: 102.81, lat: 16.45 } });
    const away = await t.json({
      method: 'PATCH',
      url: `/api/devices/${mine.id}`,
      headers: officer,
      payload: { location: { lon: 100.5, lat: 13.75 } },
    });
    expect(away.status).toBe(400);
  });

  it('does not remove a profile in use, and removes a device with an audit row', async () => {
    const manager = await t.tokenFor('office_manager');
    const inUse = await t.json({
      method: 'DELETE',
      url: `/api/device-profiles/${profileId}`,
      headers: manager,
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('devices.profile_in_use');
    expect(inUse.body.detail).toBe('ยังมีอุปกรณ์ 1 เครื่องใช้โปรไฟล์นี้อยู่');
    const inUseEn = await t.json({
      method: 'DELETE',
      url: `/api/device-profiles/${profileId}`,
      headers: { ...manager, 'accept-language': 'en' },
    });
    expect(inUseEn.body.detail).toBe('1 devices use this profile');
    const [mine] = (await t.json({ method: 'GET', url: '/api/devices', headers: manager })).body;
    const entityId = `urn:ngsi-ld:AirQualityObserved:${mine.devEui}`;
    await t.db.transaction((tx) =>
      contextService(t.db).publish(tx, {
        id: entityId,
        type: 'AirQualityObserved',
        pm25: { type: 'Property', value: 1 },
      }),
    );
    const gone = await t.json({ method: 'DELETE', url: `/api/devices/${mine.id}`, headers: manager });
    expect(gone.status).toBe(204);
    await expect(contextService(t.db).get('', entityId)).rejects.toThrow();
    expect((await t.json({ method: 'GET', url: `/api/devices/${mine.id}`, headers: manager })).status).toBe(
      404,
    );
    expect(
      (await t.json({ method: 'DELETE', url: `/api/device-profiles/${profileId}`, headers: manager })).status,
    ).toBe(204);
  });

  it('shows devices to staff only', async () => {
    expect(
      (await t.json({ method: 'GET', url: '/api/devices', headers: await t.tokenFor('citizen') })).status,
    ).toBe(403);
    expect((await t.json({ method: 'GET', url: '/api/devices' })).status).toBe(401);
    expect(
      (await t.json({ method: 'GET', url: '/api/devices/not-a-uuid', headers: await t.tokenFor('admin') }))
        .status,
    ).toBe(400);
  });
});

describe('readings and dead letters', () => {
  let deviceId: string;
  beforeAll(async () => {
    const manager = await t.tokenFor('office_manager');
    const p = await t.json({
      method: 'POST',
      url: '/api/device-profiles',
      headers: manager,
      payload: { ...airProfile, name: 'Air for readings' },
    });
    const d = await t.json({
      method: 'POST',
      url: '/api/devices',
      headers: manager,
      payload: device({ devEui: '70B3D57ED00000AA', profileId: p.body.id }),
    });
    deviceId = d.body.id;
    const repo = new DeviceRepository(t.db);
    const at = (h: number) => new Date(Date.UTC(2026, 10, 25, h)).toISOString();
    await t.db.transaction(async (tx) => {
      await repo.insertReadings(tx, [
        { deviceId, observedAt: at(1), quantity: 'pm25', value: 10, fCnt: 1 },
        { deviceId, observedAt: at(1), quantity: 'temperature', value: 24, fCnt: 1 },
        { deviceId, observedAt: at(2), quantity: 'pm25', value: 20, fCnt: 2 },
        { deviceId, observedAt: at(3), quantity: 'pm25', value: 30, fCnt: 3 },
      ]);
      await repo.insertDeadLetters(tx, [
        {
          topic: 'application/1/device/x/event/up',
          payload: Buffer.from([0, 255]),
          reason: 'unparseable',
          detail: 'not JSON',
          devEui: null,
        },
        {
          topic: 'application/1/device/0000000000000001/event/up',
          payload: Buffer.from('{}'),
          reason: 'unknown-device',
          detail: null,
          devEui: '0000000000000001',
        },
      ]);
    });
  });

  it('gives the latest value of each quantity and the readings of a range, oldest first', async () => {
    const officer = await t.tokenFor('officer');
    const res = await t.json({
      method: 'GET',
      url: `/api/devices/${deviceId}/readings?from=2026-11-25T00:00:00Z&to=2026-11-25T03:00:00Z`,
      headers: officer,
    });
    expect(res.status).toBe(200);
    expect(res.body.latest).toEqual([
      { quantity: 'pm25', value: 30, observedAt: expect.stringMatching(/^2026-11-25T03:00:00/) },
      { quantity: 'temperature', value: 24, observedAt: expect.stringMatching(/^2026-11-25T01:00:00/) },
    ]);
    expect(res.body.series.map((r: { quantity: string; value: number }) => [r.quantity, r.value])).toEqual([
      ['pm25', 10],
      ['temperature', 24],
      ['pm25', 20],
    ]);
    const one = await t.json({
      method: 'GET',
      url: `/api/devices/${deviceId}/readings?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&quantity=pm25&limit=2`,
      headers: officer,
    });
    expect(one.body.series.map((r: { value: number }) => r.value)).toEqual([10, 20]);
  });

  it('refuses a reversed range, a bad time, an unknown device and citizens', async () => {
    const officer = await t.tokenFor('officer');
    const get = (url: string, headers = officer) => t.json({ method: 'GET', url, headers });
    expect(
      (await get(`/api/devices/${deviceId}/readings?from=2026-11-26T00:00:00Z&to=2026-11-25T00:00:00Z`))
        .status,
    ).toBe(400);
    expect((await get(`/api/devices/${deviceId}/readings?from=yesterday`)).status).toBe(400);
    expect((await get(`/api/devices/${deviceId}/readings?quantity=pm25';--`)).status).toBe(400);
    expect((await get('/api/devices/00000000-0000-4000-8000-000000000000/readings')).status).toBe(404);
    expect((await get(`/api/devices/${deviceId}/readings`, await t.tokenFor('citizen'))).status).toBe(403);
  });

  it('lists dead letters for operators, newest first, filtered by reason, with the raw bytes', async () => {
    const officer = await t.tokenFor('officer');
    const all = await t.json({ method: 'GET', url: '/api/device-dead-letters', headers: officer });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body).toMatchObject({ total: 2, limit: 100, offset: 0 });
    const unknown = await t.json({
      method: 'GET',
      url: '/api/device-dead-letters?reason=unknown-device',
      headers: officer,
    });
    expect(unknown.body.items).toEqual([
      expect.objectContaining({ reason: 'unknown-device', devEui: '0000000000000001' }),
    ]);
    const raw = await t.json({
      method: 'GET',
      url: '/api/device-dead-letters?reason=unparseable',
      headers: officer,
    });
    expect(Buffer.from(raw.body.items[0].payload, 'base64')).toEqual(Buffer.from([0, 255]));
    expect(
      (await t.json({ method: 'GET', url: '/api/device-dead-letters?reason=other', headers: officer }))
        .status,
    ).toBe(400);
    expect(
      (await t.json({ method: 'GET', url: '/api/device-dead-letters', headers: await t.tokenFor('citizen') }))
        .status,
    ).toBe(403);
  });
});
