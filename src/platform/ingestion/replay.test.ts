import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository } from '../devices/repository.ts';

/** Dead letters: paging and filters, and replay after an operator fixed the profile. */
let t: TestApp;
let profileId: string;
const eui = 'cd00000000000001';
const other = 'cd00000000000002';
const topic = (e: string) => `application/app/device/${e}/event/up`;
// Two bytes big-endian: 0x0102 = 258 → waterLevel 2.58 with scale 0.01.
const uplink = (e: string, time: string) =>
  Buffer.from(
    JSON.stringify({
      deviceInfo: { devEui: e, tenantId: 't', applicationId: 'app', deviceName: 'x' },
      time,
      fCnt: 7,
      data: Buffer.from([1, 2]).toString('base64'),
    }),
  );
const layout = (offset: number) => ({
  kind: 'bytes',
  fields: [{ field: 'level', offset, length: 2, signed: false, endianness: 'big', scale: 0.01 }],
});

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const admin = await t.tokenFor('admin');
  // A profile with a wrong offset: every uplink is "truncated".
  const p = await t.json({
    method: 'POST',
    url: '/api/device-profiles',
    headers: admin,
    payload: {
      name: 'Drain (broken)',
      decoder: layout(4),
      quantities: [{ field: 'level', quantity: 'waterLevel', unit: 'MTR' }],
    },
  });
  profileId = p.body.id;
  const officer = await t.tokenFor('officer');
  await t.json({
    method: 'POST',
    url: '/api/devices',
    headers: officer,
    payload: { devEui: eui, name: 'Drain', profileId, location: { lon: 102.835, lat: 16.43 } },
  });
  const offices = await t.json({ method: 'GET', url: '/api/org/offices', headers: admin });
  const finance = offices.body.find((o: { code: string }) => o.code === 'finance').id;
  await t.json({
    method: 'POST',
    url: '/api/devices',
    headers: admin,
    payload: {
      devEui: other,
      name: 'Finance drain',
      profileId,
      officeId: finance,
      location: { lon: 102.835, lat: 16.43 },
    },
  });
  // What the ingest worker stored: the raw messages with their reasons, 30 of them.
  const repo = new DeviceRepository(t.db);
  await t.db.transaction(async (tx) => {
    const letters = [];
    for (let i = 0; i < 25; i++)
      letters.push({
        topic: topic(eui),
        payload: uplink(eui, `2026-11-25T0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')}:00Z`),
        reason: 'undecodable',
        detail: 'truncated',
        devEui: eui,
      });
    letters.push({
      topic: topic(other),
      payload: uplink(other, '2026-11-25T03:00:00Z'),
      reason: 'undecodable',
      detail: 'truncated',
      devEui: other,
    });
    for (let i = 0; i < 4; i++)
      letters.push({
        topic: topic(eui),
        payload: Buffer.from('{not json'),
        reason: 'unparseable',
        detail: 'not JSON',
        devEui: null,
      });
    await repo.insertDeadLetters(tx, letters);
  });
});
afterAll(() => t?.close());

const readings = async () =>
  (
    await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM dev_readings r JOIN dev_devices d ON d.id = r.device_id WHERE d.dev_eui = ${eui}`,
    )
  )[0].n;

describe('dead letters', () => {
  it('pages with a total and filters by reason and DevEUI', async () => {
    const officer = await t.tokenFor('officer');
    const get = (q: string) =>
      t.json({ method: 'GET', url: `/api/device-dead-letters?${q}`, headers: officer });
    const first = await get('limit=10');
    expect(first.body).toMatchObject({ total: 30, limit: 10, offset: 0 });
    expect(first.body.items).toHaveLength(10);
    const last = await get('limit=10&offset=20');
    expect(last.body.items).toHaveLength(10);
    const ids = new Set(
      [...first.body.items, ...last.body.items, ...(await get('limit=10&offset=10')).body.items].map(
        (l: { id: string }) => l.id,
      ),
    );
    expect(ids.size).toBe(30);
    expect((await get('reason=unparseable')).body.total).toBe(4);
    expect((await get(`devEui=${eui.toUpperCase()}`)).body.total).toBe(25);
    expect((await get(`devEui=${other}&reason=undecodable`)).body.total).toBe(1);
    expect((await get("devEui=x'; DROP TABLE dev_dead_letters;--")).status).toBe(400);
    expect((await get('limit=0')).status).toBe(400);
    expect((await get('replayed=maybe')).status).toBe(400);
  });

  it('replays one: still broken → reason updated; fixed profile → reading stored once; twice → no duplicate', async () => {
    const officer = await t.tokenFor('officer');
    const list = await t.json({
      method: 'GET',
      url: `/api/device-dead-letters?devEui=${eui}&limit=1`,
      headers: officer,
    });
    const id = list.body.items[0].id;
    const replay = () =>
      t.json({ method: 'POST', url: `/api/device-dead-letters/${id}/replay`, headers: officer });
    const broken = await replay();
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ outcome: 'failed', reason: 'undecodable' });
    expect(await readings()).toBe(0);

    const manager = await t.tokenFor('office_manager');
    const fixed = await t.json({
      method: 'PATCH',
      url: `/api/device-profiles/${profileId}`,
      headers: manager,
      payload: { decoder: layout(0) },
    });
    expect(fixed.status).toBe(200);
    // A rule on the level: the replayed reading (2.58) crosses it, as it would have on arrival.
    const rule = await t.json({
      method: 'POST',
      url: '/api/rules',
      headers: await t.tokenFor('admin'),
      payload: {
        name: { th: 'ระดับน้ำสูง', en: 'Drain level high' },
        scope: { kind: 'city' },
        quantity: 'waterLevel',
        params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.8 },
        category: 'met',
        urgency: 'immediate',
        severity: 'moderate',
        certainty: 'observed',
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect((await replay()).body).toEqual({ id, outcome: 'stored' });
    await t.app.rules.evaluator.settled();
    const raised = await t.db.rows<{ status: string }>(
      sql`SELECT status FROM alert_alerts WHERE rule_id = ${rule.body.id}`,
    );
    expect(raised).toEqual([{ status: 'raised' }]);
    expect(await readings()).toBe(1);
    const [value] = await t.db.rows<{ value: number }>(
      sql`SELECT value FROM dev_readings WHERE quantity = 'waterLevel'`,
    );
    expect(value.value).toBeCloseTo(2.58);
    expect((await replay()).body).toEqual({ id, outcome: 'duplicate' });
    expect(await readings()).toBe(1);
    const after = (
      await t.json({ method: 'GET', url: `/api/device-dead-letters?replayed=true`, headers: officer })
    ).body;
    expect(after.total).toBe(1);
    expect(after.items[0]).toMatchObject({
      id,
      replayAttempts: 3,
      replayedBy: expect.any(String),
      replayedAt: expect.any(String),
    });
    const [audited] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'devices.dead_letter.replay' AND resource_id = ${id}`,
    );
    expect(audited.n).toBe(3);
  });

  it('bulk replays a filter; a still-unparseable one keeps its reason; another office is refused', async () => {
    const officer = await t.tokenFor('officer');
    const bulk = (body: object) =>
      t.json({ method: 'POST', url: '/api/device-dead-letters/replay', headers: officer, payload: body });
    const done = await bulk({ devEui: eui, reason: 'undecodable' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ tried: 24, stored: 24, failed: 0 });
    expect(await readings()).toBe(25);
    expect((await bulk({ devEui: eui })).body).toMatchObject({ tried: 0 });
    const junk = await bulk({ reason: 'unparseable' });
    expect(junk.body).toMatchObject({ tried: 4, failed: 4 });
    expect(junk.body.results[0].reason).toBe('unparseable');
    const theirs = await bulk({ devEui: other });
    expect(theirs.body).toMatchObject({ tried: 1, forbidden: 1, stored: 0 });
    const letter = (
      await t.json({ method: 'GET', url: `/api/device-dead-letters?devEui=${other}`, headers: officer })
    ).body.items[0];
    expect(
      (
        await t.json({
          method: 'POST',
          url: `/api/device-dead-letters/${letter.id}/replay`,
          headers: officer,
        })
      ).status,
    ).toBe(403);
    const admin = await t.tokenFor('admin');
    expect(
      (await t.json({ method: 'POST', url: `/api/device-dead-letters/${letter.id}/replay`, headers: admin }))
        .body.outcome,
    ).toBe('stored');
    expect((await bulk({ limit: 5000 })).status).toBe(400);
    expect((await bulk({ reason: 'x' })).status).toBe(400);
    const citizen = await t.json({
      method: 'POST',
      url: '/api/device-dead-letters/replay',
      headers: await t.tokenFor('citizen'),
      payload: {},
    });
    expect(citizen.status).toBe(403);
    expect(
      (
        await t.json({
          method: 'POST',
          url: '/api/device-dead-letters/00000000-0000-4000-8000-000000000000/replay',
          headers: officer,
        })
      ).status,
    ).toBe(404);
  });
});
