import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { validateCap } from '../alerts/cap-check.ts';
import { DeviceRepository, type ReadingRow } from '../devices/repository.ts';

let t: TestApp;
let deviceId: string;
const t0 = Date.parse('2026-11-20T00:00:00Z');
const at = (m: number) => new Date(t0 + m * 60_000).toISOString();

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const repo = new DeviceRepository(t.db);
  const [{ id: office }] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM core_offices WHERE code = 'engineering'`,
  );
  deviceId = await t.db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: `water ${randomBytes(3).toString('hex')}`,
      decoder: { kind: 'json' },
      quantities: [{ field: 'waterLevel', quantity: 'waterLevel' }],
      entityType: 'Device',
    });
    return (
      await repo.insertDevice(tx, {
        devEui: randomBytes(8).toString('hex'),
        name: 'Canal gauge',
        profileId: profile.id,
        officeId: office,
        lon: 102.83,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      })
    ).id;
  });
}, 60_000);
afterAll(() => t?.close());

const rule = (over: Record<string, unknown> = {}) => ({
  name: { th: 'น้ำสูง', en: 'High water' },
  scope: { kind: 'device', deviceId },
  quantity: 'waterLevel',
  params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.9 },
  category: 'met',
  urgency: 'expected',
  severity: 'severe',
  certainty: 'observed',
  ...over,
});
const post = async (body: unknown) =>
  t.json({ method: 'POST', url: '/api/rules', headers: await t.tokenFor('admin'), payload: body as object });

async function ingest(series: [number, number][]) {
  const rows: ReadingRow[] = series.map(([m, value]) => ({
    deviceId,
    observedAt: at(m),
    quantity: 'waterLevel',
    value,
    fCnt: null,
  }));
  await t.db.transaction((tx) => new DeviceRepository(t.db).insertReadings(tx, rows));
  return t.app.rules.evaluator.onReadings(rows);
}

describe('public rules', () => {
  it('keeps the public flag and instruction; private by default; refuses bad instructions and managedBy', async () => {
    const plain = await post(rule());
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ public: false, instruction: { th: '', en: '' }, managedBy: null });
    await t.json({
      method: 'DELETE',
      url: `/api/rules/${plain.body.id}`,
      headers: await t.tokenFor('admin'),
    });
    for (const bad of [
      { public: 'yes' },
      { instruction: { th: 'ก' } },
      { instruction: { th: 'ก', en: 'bell\u0007' } },
      { instruction: { th: 'ก'.repeat(2001), en: '' } },
      { managedBy: 'flood:x:warning' },
    ])
      expect((await post(rule(bad))).status).toBe(400);
  });

  it('raises a public rule’s alert into the CAP feed over an area around the device, and cancels it on clear', async () => {
    const made = await post(
      rule({ public: true, instruction: { th: 'ขนของขึ้นที่สูง', en: 'Move belongings to higher ground' } }),
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      public: true,
      instruction: { en: 'Move belongings to higher ground' },
    });
    const private_ = await post(
      rule({ name: { th: 'ภายใน', en: 'Internal' }, params: { ...rule().params, value: 1.5, clearAt: 1.4 } }),
    );
    expect(private_.status).toBe(201);
    expect(
      await ingest([
        [0, 1.0],
        [1, 2.2],
      ]),
    ).toBe(2);
    const alerts = await t.db.rows<{ id: string; ruleId: string; public: boolean }>(
      sql`SELECT id, rule_id AS "ruleId", public FROM alert_alerts WHERE status = 'raised'`,
    );
    const pub = alerts.find((a) => a.ruleId === made.body.id)!;
    const internal = alerts.find((a) => a.ruleId === private_.body.id)!;
    expect(pub.public).toBe(true);
    expect(internal.public).toBe(false);
    const feed = await t.json({ method: 'GET', url: '/alerts/cap.atom' });
    expect(feed.body).toContain(pub.id);
    expect(feed.body).not.toContain(internal.id);
    const cap = await t.json({ method: 'GET', url: `/alerts/cap/${pub.id}.xml` });
    expect(validateCap(cap.body)).toEqual([]);
    expect(cap.body).toContain('<polygon>');
    expect(cap.body).toContain('Move belongings to higher ground');
    expect(cap.body).toContain('<msgType>Alert</msgType>');
    expect((await t.json({ method: 'GET', url: `/alerts/cap/${internal.id}.xml` })).status).toBe(404);
    expect(await ingest([[2, 1.8]])).toBe(1);
    const after = await t.json({ method: 'GET', url: `/alerts/cap/${pub.id}.xml` });
    expect(after.body).toContain('<msgType>Cancel</msgType>');
    expect(validateCap(after.body)).toEqual([]);
  });

  it('backtests a public rule like any other', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/rules/backtest',
      headers: await t.tokenFor('officer'),
      payload: { rule: rule({ public: true }), from: at(-10), to: at(10) },
    });
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { event: string }) => e.event)).toEqual(['fire', 'clear']);
  });
});
