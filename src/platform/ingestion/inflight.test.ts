// Two batches written at once (PostgreSQL; PGlite writes them one after the other): a batch that shares
// a device with one still being written waits for it, in device order, so the two never deadlock, and a
// late, older uplink in the second still does not roll the device's entity back.
import { randomBytes } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Executor } from '../../core/db/index.ts';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { type ContextService, contextService } from '../context/service.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { IngestWorker } from './worker.ts';

const app = `test-${randomBytes(4).toString('hex')}`;
const gateway = `a8${randomBytes(7).toString('hex')}`;
let testDb: TestDb;
let db: Db;
let broker: Broker;
let publisher: MqttClient;
const euis: string[] = [];

const topic = (devEui: string, kind: string) => `application/${app}/device/${devEui}/event/${kind}`;
const info = (devEui: string) => ({ applicationId: app, devEui });
const level = (mm: number) => Buffer.from([mm >> 8, mm & 0xff]).toString('base64');
const uplink = (devEui: string, time: string, mm: number) =>
  publisher.publishAsync(
    topic(devEui, 'up'),
    JSON.stringify({
      time,
      deviceInfo: info(devEui),
      fCnt: 1,
      fPort: 1,
      data: level(mm),
      rxInfo: [{ gatewayId: gateway, rssi: -90, snr: 5 }],
    }),
    { qos: 1 },
  );
const status = (devEui: string, time: string, margin: number) =>
  publisher.publishAsync(
    topic(devEui, 'status'),
    JSON.stringify({ time, deviceInfo: info(devEui), margin, batteryLevel: 80 }),
    { qos: 1 },
  );
const until = async (done: () => boolean | Promise<boolean>) => {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20));
};

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  await db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: 'level',
      decoder: {
        kind: 'bytes',
        fields: [{ field: 'mm', offset: 0, length: 2, signed: false, endianness: 'big', scale: 1 }],
      },
      quantities: [{ field: 'mm', quantity: 'waterLevel', unit: 'MMT' }],
      entityType: 'WaterObserved',
    });
    for (let i = 0; i < 3; i++) {
      const devEui = `b1${randomBytes(7).toString('hex')}`;
      await repo.insertDevice(tx, {
        devEui,
        name: `Level ${i}`,
        profileId: profile.id,
        officeId: offices.get('engineering')!,
        lon: 102.8 + i / 1000,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      });
      euis.push(devEui);
    }
  });
  broker = await startBroker({
    mqttUrl: process.env.MQTT_URL,
    port: 0,
    portExplicit: false,
    host: '127.0.0.1',
    log: pino({ level: 'silent' }),
  });
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
}, 180_000);

afterAll(async () => {
  await publisher?.endAsync();
  await broker?.close();
  await testDb?.dispose();
});

describe('batches in flight', () => {
  it('a batch that shares a device with one being written waits for it: no deadlock, nothing lost, no roll-back', async () => {
    const [d1, d2, d3] = euis;
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    // Batch A (d1's uplink through the gateway, d2's status) is held just before it records d2's status
    // (which updates d2's row) until batch B (d2's uplink through the same gateway) waits for a lock A
    // holds. Were devices not locked first, in order, B would now hold d2's row and wait for the
    // gateway's, A for d2's: a deadlock that PostgreSQL breaks by failing one of the batches.
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let held = false;
    const dialect = new PgDialect();
    const hooked: Db = {
      ...db,
      transaction: ((fn: (tx: Executor) => Promise<unknown>) =>
        db.transaction((tx) => {
          let gatewaySeen = false;
          const execute = async (q: SQL) => {
            const text = dialect.sqlToQuery(q).sql;
            if (text.includes('INSERT INTO dev_gateways')) gatewaySeen = true;
            if (!held && gatewaySeen && text.includes('dev_device_events')) {
              held = true;
              await released;
            }
            return tx.execute(q);
          };
          return fn(new Proxy(tx, { get: (t, k) => (k === 'execute' ? execute : Reflect.get(t, k)) }));
        })) as Db['transaction'],
    };
    // Two batches of d3's uplinks are held (in flight, on PostgreSQL each in its own slot) while A's two
    // messages arrive, so these wait together and make one batch once the two are let go.
    let unblock!: () => void;
    const unblocked = new Promise<void>((r) => {
      unblock = r;
    });
    const real = contextService(db);
    const context = Object.assign(Object.create(real), {
      publishMany: async (tx: Executor, entities: Record<string, unknown>[]) => {
        if (entities.some((e) => String(e.id).endsWith(d3))) await unblocked;
        return real.publishMany(tx, entities);
      },
    }) as ContextService;
    const w = new IngestWorker({
      db: hooked,
      context,
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      clientId: `test-inflight-${randomBytes(4).toString('hex')}`,
      shareGroup: `test-${randomBytes(4).toString('hex')}`,
      application: app,
      batchesInFlight: 2,
    });
    await w.start();
    try {
      await uplink(d3, '2026-11-23T01:00:00.000Z', 301);
      await until(() => w.stats.received >= 1);
      await uplink(d3, '2026-11-23T02:00:00.000Z', 302);
      await until(() => w.stats.received >= 2);
      await uplink(d1, '2026-11-23T05:00:00.000Z', 510);
      await status(d2, '2026-11-23T05:00:00.000Z', 7);
      await until(() => w.stats.received >= 4);
      unblock();
      await until(() => held);
      // B: d2's uplink, and an older one of d1 that must not roll d1's entity back.
      await uplink(d2, '2026-11-23T04:00:00.000Z', 420);
      await uplink(d1, '2026-11-23T04:00:00.000Z', 410);
      await until(() => w.stats.received >= 6);
      if (db.kind === 'postgres')
        await until(async () => {
          const [row] = await db.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return row.n > 0;
        });
      release();
      await until(async () => {
        await w.drain();
        return w.stats.messages >= 6;
      });
      expect(warnings.filter((l) => /failed|deadlock/i.test(l))).toEqual([]);
      const rows = await db.rows<{ eui: string; mm: number }>(
        sql`SELECT d.dev_eui AS eui, r.value AS mm
          FROM dev_readings r JOIN dev_devices d ON d.id = r.device_id
          WHERE d.dev_eui IN (${d1}, ${d2}) ORDER BY d.dev_eui, r.observed_at`,
      );
      expect(rows).toEqual(
        [
          { eui: d1, mm: 410 },
          { eui: d1, mm: 510 },
          { eui: d2, mm: 420 },
        ].sort((a, b) => (a.eui < b.eui ? -1 : a.eui > b.eui ? 1 : 0)),
      );
      const [margin] = await db.rows<{ margin: number }>(
        sql`SELECT margin FROM dev_devices WHERE dev_eui = ${d2}`,
      );
      expect(margin.margin).toBe(7);
      const entity = JSON.stringify(await contextService(db).get('', `urn:ngsi-ld:WaterObserved:${d1}`));
      expect(entity).toContain('"value":510');
      expect(entity).not.toContain('"value":410');
      expect(w.stats.deadLetters).toBe(0);
    } finally {
      await w.stop();
    }
  }, 60_000);
});
