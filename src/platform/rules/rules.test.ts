import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository, type ReadingRow } from '../devices/repository.ts';
import { RuleEvaluator } from './evaluator.ts';

let t: TestApp;
const ids: Record<string, string> = {};
const profiles: Record<string, string> = {};
let engineering: string;
const min = 60_000;
const t0 = Date.parse('2026-11-20T00:00:00Z');
const at = (m: number) => new Date(t0 + m * min).toISOString();

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const repo = new DeviceRepository(t.db);
  [{ id: engineering }] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM core_offices WHERE code = 'engineering'`,
  );
  await t.db.transaction(async (tx) => {
    const mk = (name: string, quantity: string) =>
      repo.insertProfile(tx, {
        name: `${name} ${randomBytes(3).toString('hex')}`,
        decoder: { kind: 'json' },
        quantities: [{ field: quantity, quantity }],
        entityType: 'Device',
      });
    profiles.air = (await mk('air', 'pm25')).id;
    profiles.water = (await mk('water', 'waterLevel')).id;
    const dev = async (key: string, profileId: string, zoneCode: string | null) => {
      ids[key] = (
        await repo.insertDevice(tx, {
          devEui: randomBytes(8).toString('hex'),
          name: `Sensor ${key}`,
          profileId,
          officeId: engineering,
          lon: 102.83,
          lat: 16.43,
          zoneCode,
          installedOn: null,
          tags: [],
        })
      ).id;
    };
    await dev('air1', profiles.air, 'zone-1');
    await dev('air2', profiles.air, 'zone-2');
    await dev('canal', profiles.water, 'zone-1');
  });
}, 60_000);
afterAll(() => t?.close());

const rule = (over: Record<string, unknown> = {}) => ({
  name: { th: 'PM2.5 เกินมาตรฐาน', en: 'PM2.5 above the standard' },
  scope: { kind: 'city' },
  quantity: 'pm25',
  params: { kind: 'threshold', op: 'above', value: 37.5, forMinutes: 60, clearAt: 30 },
  category: 'env',
  urgency: 'expected',
  severity: 'moderate',
  certainty: 'observed',
  ...over,
});

const create = async (body: unknown, role: 'admin' | 'office_manager' = 'admin') =>
  t.json({ method: 'POST', url: '/api/rules', headers: await t.tokenFor(role), payload: body as object });

/** Stores readings as the ingestion worker does, then hands them to the live evaluator. */
async function ingest(deviceKey: string, quantity: string, series: [number, number][]) {
  const rows: ReadingRow[] = series.map(([m, value]) => ({
    deviceId: ids[deviceKey],
    observedAt: at(m),
    quantity,
    value,
    fCnt: null,
  }));
  const repo = new DeviceRepository(t.db);
  await t.db.transaction((tx) => repo.insertReadings(tx, rows));
  for (const r of rows) await t.app.rules.evaluator.onReadings([r]);
}

const alertsOf = (ruleId: string) =>
  t.db.rows<{ subject: string; status: string; officeId: string | null; headline: string }>(
    sql`SELECT subject, status, office_id AS "officeId", headline_en AS headline FROM alert_alerts
      WHERE rule_id = ${ruleId} ORDER BY raised_at, id`,
  );

describe('rules API', () => {
  it('creates, lists, gets, updates and deletes a rule, audited, office-scoped', async () => {
    const res = await create(rule({ name: { th: 'ทดสอบ', en: 'CRUD test' } }), 'office_manager');
    expect(res.status).toBe(201);
    const id = res.body.id;
    expect(res.body).toMatchObject({ enabled: true, scope: { kind: 'city' }, quantity: 'pm25' });
    // the manager's own office (clerk), whatever the body says
    const [{ code }] = await t.db.rows<{ code: string }>(
      sql`SELECT o.code FROM rule_rules r JOIN core_offices o ON o.id = r.office_id WHERE r.id = ${id}`,
    );
    expect(code).toBe('clerk');

    const list = await t.json({ method: 'GET', url: '/api/rules', headers: await t.tokenFor('officer') });
    expect(list.body.map((r: { id: string }) => r.id)).toContain(id);
    // the finance officer is of another office: neither in the list nor by id
    const finance = await t.signInAs('revenue@demo.local');
    expect((await t.json({ method: 'GET', url: `/api/rules/${id}`, headers: finance })).status).toBe(404);
    const theirs = await t.json({ method: 'GET', url: '/api/rules', headers: finance });
    expect(theirs.body.map((r: { id: string }) => r.id)).not.toContain(id);

    const put = await t.json({
      method: 'PUT',
      url: `/api/rules/${id}`,
      headers: await t.tokenFor('office_manager'),
      payload: rule({ name: { th: 'ทดสอบ', en: 'CRUD test 2' }, enabled: false }),
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ enabled: false, name: { en: 'CRUD test 2' } });

    const officer = await t.json({
      method: 'DELETE',
      url: `/api/rules/${id}`,
      headers: await t.tokenFor('officer'),
    });
    expect(officer.status).toBe(403);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/rules/${id}`,
      headers: await t.tokenFor('office_manager'),
    });
    expect(del.statusCode).toBe(204);
    const gone = await t.json({ method: 'GET', url: `/api/rules/${id}`, headers: await t.tokenFor('admin') });
    expect(gone.status).toBe(404);
    const actions = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${id} ORDER BY at, id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['rules.create', 'rules.update', 'rules.delete']);
  });

  it('refuses bad bodies with 400 problem details', async () => {
    const bad: Record<string, unknown>[] = [
      rule({ params: { kind: 'threshold', op: 'above', value: '37.5', forMinutes: 60, clearAt: 30 } }),
      rule({ params: { kind: 'eval', code: 'process.exit(1)' } }),
      rule({ params: { kind: 'threshold', op: 'above', value: 1e308, forMinutes: 60, clearAt: 30 } }),
      rule({ params: { kind: 'threshold', op: 'above', value: 10, forMinutes: 1e9, clearAt: 5 } }),
      rule({ params: { kind: 'threshold', op: 'above', value: 10, forMinutes: 5, clearAt: 20 } }),
      rule({ params: { kind: 'rate', op: 'rise', perMinute: 0, windowMinutes: 10 } }),
      rule({ params: { kind: 'combination', mode: 'all', conditions: [{ kind: 'noData', minutes: 5 }] } }),
      rule({ quantity: "pm25'; DROP TABLE rule_rules; --" }),
      rule({ name: { th: 'x'.repeat(201), en: 'ok' } }),
      rule({ name: { th: 'a\u0000b', en: 'ok' } }),
      rule({ scope: { kind: 'zone', zoneCode: "zone-1' OR '1'='1" } }),
      rule({ scope: { kind: 'device', deviceId: 'not-a-uuid' } }),
      rule({ severity: 'apocalyptic' }),
      rule({ extra: true }),
      { ...rule(), params: undefined },
    ];
    for (const body of bad) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.status).toBe(400);
    }
    expect(await t.db.rows(sql`SELECT 1 FROM rule_rules WHERE quantity LIKE '%DROP%'`)).toEqual([]);
  });
});

describe('live evaluation', () => {
  it('threshold with duration and hysteresis: one alert raised, then auto-resolved once', async () => {
    const r = await create(rule({ scope: { kind: 'device', deviceId: ids.air1 } }));
    await ingest('air1', 'pm25', [
      [0, 40],
      [30, 45],
      [59, 44],
    ]);
    expect(await alertsOf(r.body.id)).toEqual([]);
    await ingest('air1', 'pm25', [
      [60, 50],
      [70, 36],
      [80, 41],
    ]);
    let alerts = await alertsOf(r.body.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      subject: ids.air1,
      status: 'raised',
      headline: expect.stringContaining('Sensor air1'),
    });
    await ingest('air1', 'pm25', [
      [90, 29],
      [100, 25],
    ]);
    alerts = await alertsOf(r.body.id);
    expect(alerts.map((a) => a.status)).toEqual(['resolved']);
    await t.json({ method: 'DELETE', url: `/api/rules/${r.body.id}`, headers: await t.tokenFor('admin') });
  });

  it('scopes by zone and by profile: only the devices in scope raise', async () => {
    const zone = await create(
      rule({
        scope: { kind: 'zone', zoneCode: 'zone-2' },
        params: { kind: 'threshold', op: 'above', value: 100, forMinutes: 0, clearAt: 90 },
      }),
    );
    const profile = await create(
      rule({
        quantity: 'waterLevel',
        scope: { kind: 'profile', profileId: profiles.water },
        params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.8 },
      }),
    );
    await ingest('air1', 'pm25', [[200, 150]]);
    await ingest('air2', 'pm25', [[200, 150]]);
    await ingest('canal', 'waterLevel', [[200, 2.5]]);
    expect((await alertsOf(zone.body.id)).map((a) => a.subject)).toEqual([ids.air2]);
    expect((await alertsOf(profile.body.id)).map((a) => a.subject)).toEqual([ids.canal]);
  });

  it('rate of change and combination raise alerts on a rising canal', async () => {
    const rate = await create(
      rule({
        quantity: 'waterLevel',
        scope: { kind: 'device', deviceId: ids.canal },
        params: { kind: 'rate', op: 'rise', perMinute: 0.01, windowMinutes: 30 },
      }),
    );
    const combo = await create(
      rule({
        quantity: 'waterLevel',
        scope: { kind: 'device', deviceId: ids.canal },
        params: {
          kind: 'combination',
          mode: 'all',
          conditions: [
            { kind: 'threshold', op: 'above', value: 3, forMinutes: 0, clearAt: 2.9 },
            { kind: 'rate', op: 'rise', perMinute: 0.01, windowMinutes: 30 },
          ],
        },
      }),
    );
    await ingest('canal', 'waterLevel', [
      [300, 2.5],
      [310, 2.8],
    ]);
    expect(await alertsOf(rate.body.id)).toHaveLength(1);
    expect(await alertsOf(combo.body.id)).toHaveLength(0);
    await ingest('canal', 'waterLevel', [[320, 3.1]]);
    expect(await alertsOf(combo.body.id)).toHaveLength(1);
  });

  it('a stale sensor raises "no data" on the sweep and clears when data returns', async () => {
    const r = await create(
      rule({ scope: { kind: 'device', deviceId: ids.air2 }, params: { kind: 'noData', minutes: 30 } }),
    );
    const now = Date.now();
    expect(await t.app.rules.evaluator.sweep(now)).toBe(0);
    expect(await t.app.rules.evaluator.sweep(now + 31 * min)).toBe(1);
    // a second sweep does not raise again
    expect(await t.app.rules.evaluator.sweep(now + 40 * min)).toBe(0);
    expect((await alertsOf(r.body.id)).map((a) => a.status)).toEqual(['raised']);
    await ingest('air2', 'pm25', [[(now + 41 * min - t0) / min, 12]]);
    expect((await alertsOf(r.body.id)).map((a) => a.status)).toEqual(['resolved']);
  });

  it('one batch in which a device fires, clears and fires again: the alerts in that order', async () => {
    const r = await create(
      rule({
        name: { th: 'ชุดเดียว', en: 'One batch' },
        quantity: 'waterLevel',
        scope: { kind: 'device', deviceId: ids.canal },
        params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.5 },
      }),
    );
    const rows: ReadingRow[] = [
      [900, 2.5],
      [901, 1.0],
      [902, 2.6],
    ].map(([m, value]) => ({
      deviceId: ids.canal,
      observedAt: at(m),
      quantity: 'waterLevel',
      value,
      fCnt: null,
    }));
    await t.db.transaction((tx) => new DeviceRepository(t.db).insertReadings(tx, rows));
    // (the canal's rules of the tests above take these readings too)
    await t.app.rules.evaluator.onReadings(rows);
    const alerts = await t.db.rows<{ status: string; description: string }>(
      sql`SELECT status, description_en AS description FROM alert_alerts WHERE rule_id = ${r.body.id}
        ORDER BY raised_at, status DESC`,
    );
    expect(alerts).toEqual([
      { status: 'resolved', description: `waterLevel = 2.5 (Sensor canal)` },
      { status: 'raised', description: `waterLevel = 2.6 (Sensor canal)` },
    ]);
    const [{ n }] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action LIKE 'alerts.rule.%'
        AND detail->>'ruleId' = ${r.body.id}`,
    );
    expect(n).toBe(3);
  });

  it('keeps duration state across a restart', async () => {
    const r = await create(
      rule({
        quantity: 'waterLevel',
        scope: { kind: 'device', deviceId: ids.canal },
        params: { kind: 'threshold', op: 'below', value: 0.5, forMinutes: 30, clearAt: 0.7 },
      }),
    );
    await ingest('canal', 'waterLevel', [[400, 0.4]]);
    // the running duration is not written: a new process rebuilds it from the stored readings
    await t.app.rules.evaluator.checkpoint();
    const [{ n }] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM rule_state WHERE rule_id = ${r.body.id}`,
    );
    expect(n).toBe(0);
    // a new evaluator over the same database: what a restarted process has
    const restarted = new RuleEvaluator(t.db, t.app.alerts, pino({ level: 'silent' }));
    await restarted.onReadings([
      { deviceId: ids.canal, observedAt: at(430), quantity: 'waterLevel', value: 0.3, fCnt: null },
    ]);
    await restarted.stop();
    expect((await alertsOf(r.body.id)).map((a) => a.status)).toEqual(['raised']);
    // changing the rule starts it over: its open alert is resolved, not left open for good
    const put = await t.json({
      method: 'PUT',
      url: `/api/rules/${r.body.id}`,
      headers: await t.tokenFor('admin'),
      payload: rule({
        quantity: 'waterLevel',
        scope: { kind: 'device', deviceId: ids.canal },
        params: { kind: 'threshold', op: 'below', value: 0.2, forMinutes: 30, clearAt: 0.3 },
      }),
    });
    expect(put.status).toBe(200);
    expect((await alertsOf(r.body.id)).map((a) => a.status)).toEqual(['resolved']);
  });
});

describe('backtest', () => {
  it('replays stored readings and returns fire/clear events without raising alerts', async () => {
    const body = {
      rule: rule({ scope: { kind: 'device', deviceId: ids.air1 } }),
      from: at(-10),
      to: at(150),
    };
    const res = await t.json({
      method: 'POST',
      url: '/api/rules/backtest',
      headers: await t.tokenFor('officer'),
      payload: body,
    });
    expect(res.status).toBe(200);
    expect(res.body.readings).toBe(8);
    expect(res.body.events).toEqual([
      { subject: ids.air1, event: 'fire', at: at(60), value: 50 },
      { subject: ids.air1, event: 'clear', at: at(90), value: 29 },
    ]);
    const noData = await t.json({
      method: 'POST',
      url: '/api/rules/backtest',
      headers: await t.tokenFor('officer'),
      payload: { ...body, rule: { ...body.rule, params: { kind: 'noData', minutes: 45 } } },
    });
    // gaps: 59 → 30 is 29 min; none ≥ 45 until after 100 (last reading) to 150
    expect(noData.body.events).toEqual([{ subject: ids.air1, event: 'fire', at: at(145), value: null }]);
    const bad = await t.json({
      method: 'POST',
      url: '/api/rules/backtest',
      headers: await t.tokenFor('officer'),
      payload: { ...body, from: at(0), to: at(-1) },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code ?? bad.body.type).toBeTruthy();
  });
});
