import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { demoProfiles, seedDevices } from '../devices/seed.ts';
import { measure, parseUplink } from './chirpstack.ts';
import { parseLinkEvent } from './link-events.ts';
import {
  bangkokHour,
  brokenData,
  curve,
  encode,
  parseDuration,
  registerSynthetic,
  type SimDevice,
  Simulator,
  seededRandom,
  simulatedDevices,
  simulatedGateways,
  statusEvent,
  uplinkEvent,
} from './simulator.ts';
import { IngestWorker } from './worker.ts';

/** A time on 2026-11-25 at the given Bangkok hour. */
const at = (bangkok: number) => new Date(Date.UTC(2026, 10, 25, bangkok - 7, 0, 0));

describe('value curves', () => {
  it('uses Bangkok time', () => {
    expect(bangkokHour(new Date('2026-11-25T00:00:00Z'))).toBe(7);
    expect(bangkokHour(new Date('2026-11-25T20:30:00Z'))).toBe(3.5);
  });

  it('puts PM2.5 high in the morning rush and at night, low in the afternoon', () => {
    const pm = (h: number) => curve('pm25', at(h), 35, 0.5)!;
    expect(pm(7.5)).toBeGreaterThan(pm(14));
    expect(pm(2)).toBeGreaterThan(pm(14));
    expect(pm(14)).toBeGreaterThan(0);
  });

  it('makes solar power follow the sun and be zero at night', () => {
    expect(curve('solarPower', at(12), 5000, 0.5)).toBeCloseTo(5000, 0);
    expect(curve('solarPower', at(9), 5000, 0.5)!).toBeLessThan(5000);
    expect(curve('solarPower', at(22), 5000, 0.9)).toBe(0);
    expect(curve('solarPower', at(3), 5000, 0.1)).toBe(0);
  });

  it('peaks temperature in the afternoon; water level moves slowly; unknown quantities are skipped', () => {
    expect(curve('temperature', at(14), 0, 0.5)!).toBeGreaterThan(curve('temperature', at(5), 0, 0.5)!);
    const a = curve('waterLevel', at(10), 0.6, 0.5)!;
    const b = curve('waterLevel', new Date(at(10).getTime() + 60_000), 0.6, 0.5)!;
    expect(Math.abs(a - b)).toBeLessThan(0.001);
    expect(curve('humidity', at(10), 0, 0.5)).toBeUndefined();
    expect(curve("'; DROP TABLE dev_readings; --", at(10), 0, 0.5)).toBeUndefined();
  });

  it('is deterministic with a seeded generator', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => curve('pm25', at(8), 0, a()));
    expect(Array.from({ length: 5 }, () => curve('pm25', at(8), 0, b()))).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
    const c = seededRandom(43);
    expect(curve('pm25', at(8), 0, c())).not.toBe(xs[0]);
  });

  it('parses intervals', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['', '0s', '-5m', '5', 'five minutes', '5d'])
      expect(parseDuration(bad)).toBeUndefined();
  });
});

describe('payloads', () => {
  const devices: SimDevice[] = demoProfiles.map((p, i) => ({
    devEui: `a8404100000099${i}0`,
    decoder: p.decoder,
    quantities: p.quantities,
  }));

  it('are ChirpStack uplinks the platform parses and decodes with the demo profiles', () => {
    const random = seededRandom(7);
    for (const [i, d] of devices.entries()) {
      const t = at(8);
      const json = uplinkEvent(d, 'app-1', 5, t, random)!;
      const parsed = parseUplink(
        `application/app-1/device/${d.devEui}/event/up`,
        Buffer.from(json),
        new Date(),
      );
      if (!parsed.ok) throw new Error(parsed.detail);
      expect(parsed.uplink).toMatchObject({ devEui: d.devEui, fCnt: 5, time: t.toISOString() });
      expect(parsed.uplink.rssi).toBeLessThan(0);
      const m = measure(parsed.uplink, demoProfiles[i]);
      if (!m.ok) throw new Error(m.detail);
      expect(m.values.map((v) => v.quantity).sort()).toEqual(d.quantities.map((q) => q.quantity).sort());
      for (const v of m.values) {
        const expected = curve(v.quantity, t, 0, 0.5)!;
        // Within the noise band and the encoding's resolution.
        expect(Math.abs(v.value - expected)).toBeLessThan(Math.max(1, Math.abs(expected) * 0.25));
      }
    }
  });

  it('name the gateways that heard them, and status events parse as ChirpStack status', () => {
    const d = devices[0];
    const two = simulatedGateways.slice(0, 2);
    const up = parseUplink(
      `application/app-1/device/${d.devEui}/event/up`,
      Buffer.from(uplinkEvent(d, 'app-1', 5, at(8), seededRandom(3), two)!),
      new Date(),
    );
    if (!up.ok) throw new Error(up.detail);
    expect(up.uplink.gateways?.map((g) => g.gatewayId)).toEqual(two);
    const topic = `application/app-1/device/${d.devEui}/event/status`;
    for (let seed = 1; seed < 50; seed++) {
      const status = parseLinkEvent(
        topic,
        Buffer.from(statusEvent(d, 'app-1', at(9), seededRandom(seed))),
        new Date(),
      );
      if (!status.ok) throw new Error(status.detail);
      expect(status.event).toMatchObject({ kind: 'status', devEui: d.devEui, time: at(9).toISOString() });
      const e = status.event as { batteryLevel: number; margin: number };
      expect(e.batteryLevel).toBeGreaterThanOrEqual(85);
      expect(e.batteryLevel).toBeLessThanOrEqual(100);
    }
  });

  it('when broken on purpose, are refused by the decoders of both demo profiles', () => {
    for (const [i, d] of devices.entries()) {
      const json = brokenData(uplinkEvent(d, 'app-1', 5, at(8), seededRandom(1))!);
      const parsed = parseUplink(
        `application/app-1/device/${d.devEui}/event/up`,
        Buffer.from(json),
        new Date(),
      );
      if (!parsed.ok) throw new Error(parsed.detail);
      expect(measure(parsed.uplink, demoProfiles[i])).toMatchObject({ ok: false, reason: 'undecodable' });
    }
  });

  it('clamps values to what the layout can hold and refuses what it cannot encode', () => {
    const bytes = encode(
      {
        kind: 'bytes',
        fields: [{ field: 'x', offset: 0, length: 1, signed: false, endianness: 'big' }],
      },
      new Map([['x', 1e9]]),
    );
    expect([...bytes!]).toEqual([255]);
    expect(encode({ kind: 'json' }, new Map([['x', 1]]))).toBeUndefined();
    expect(encode({ kind: 'cayenne-lpp' }, new Map([['gps_1', 1]]))).toBeUndefined();
    expect(encode({ kind: 'cayenne-lpp' }, new Map([['temperature_300', 1]]))).toBeUndefined();
    expect([...encode({ kind: 'cayenne-lpp' }, new Map([['temperature_2', -1.5]]))!]).toEqual([
      2, 0x67, 0xff, 0xf1,
    ]);
  });
});

describe('simulator against the broker and the ingest worker', () => {
  const log = pino({ level: 'silent' });
  let testDb: TestDb;
  let db: Db;
  let broker: Broker;
  let worker: IngestWorker;

  beforeAll(async () => {
    testDb = await freshDatabase([]);
    db = testDb.db;
    await seedDevices(db, await seedOrganisation(db));
    broker = await startBroker({
      mqttUrl: process.env.MQTT_URL,
      port: 0,
      portExplicit: false,
      host: '127.0.0.1',
      log,
    });
    worker = new IngestWorker({
      db,
      context: contextService(db),
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      shareGroup: `test-${randomBytes(4).toString('hex')}`,
      clientId: `test-ingest-${randomBytes(4).toString('hex')}`,
    });
    await worker.start();
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await broker?.close();
    await testDb?.dispose();
  });

  it('publishes uplinks that are stored as readings, and broken ones that become dead letters', async () => {
    const devices = await simulatedDevices(db, 1000);
    expect(devices.map((d) => d.devEui)).toHaveLength(5);
    expect(await simulatedDevices(db, 2)).toHaveLength(2);
    const appId = `sim-${randomBytes(4).toString('hex')}`;
    const start = new Date();
    const sim = new Simulator({
      brokerUrl: broker.url,
      devices,
      intervalMs: 200,
      durationMs: 700,
      brokenRate: 0.4,
      appId,
      random: seededRandom(3),
      protocolVersion: broker.embedded ? 4 : 5,
    });
    const stats = await sim.run();
    expect(stats.sent).toBeGreaterThanOrEqual(devices.length);
    expect(stats.broken).toBeGreaterThan(0);
    expect(stats.broken).toBeLessThan(stats.sent);
    const [dead] = await (async () => {
      for (;;) {
        await worker.drain();
        const rows = await db.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM dev_dead_letters WHERE topic LIKE ${`application/${appId}/%`}`,
        );
        const [ok] = await db.rows<{ n: number }>(
          sql`SELECT count(DISTINCT (device_id, observed_at))::int AS n FROM dev_readings WHERE observed_at >= ${start.toISOString()}`,
        );
        if (rows[0].n + ok.n >= stats.sent) return [rows[0].n, ok.n];
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(dead).toBe(stats.broken);
    const [counts] = await db.rows<{ uplinks: number; devices: number; maxFcnt: number }>(
      sql`SELECT count(DISTINCT (device_id, observed_at))::int AS uplinks, count(DISTINCT device_id)::int AS devices,
        max(f_cnt)::int AS "maxFcnt" FROM dev_readings WHERE observed_at >= ${start.toISOString()}`,
    );
    expect(counts.uplinks).toBe(stats.sent - stats.broken);
    expect(counts.devices).toBeGreaterThan(1);
    expect(counts.maxFcnt).toBeGreaterThan(1);
  }, 60_000);

  it('registers synthetic devices once, audited, inside the municipality', async () => {
    const audits = async () =>
      (
        await db.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'devices.device.create' AND actor_label = 'cli simulate --register'`,
        )
      )[0].n;
    expect(await registerSynthetic(db, 7, seededRandom(5))).toBe(7);
    expect(await registerSynthetic(db, 7, seededRandom(6))).toBe(0);
    expect(await registerSynthetic(db, 9, seededRandom(6))).toBe(2);
    const rows = await db.rows<{ name: string; synthetic: boolean; zone: string | null }>(
      sql`SELECT name, synthetic, zone_code AS zone FROM dev_devices WHERE dev_eui LIKE 'a84041ee%' ORDER BY dev_eui`,
    );
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(r.synthetic).toBe(true);
      expect(r.name).toMatch(/\(synthetic\)$/);
      expect(r.zone).not.toBeNull();
    }
    expect(await audits()).toBe(9);
    expect(await simulatedDevices(db, 1000)).toHaveLength(14);
  }, 60_000);
});
