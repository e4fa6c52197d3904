// Batching edge cases of the ingest worker: a message that fails its batch costs only itself, a crash
// in the middle of a batch loses nothing that was acknowledged, and a late uplink does not roll a
// device's entity back.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
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

const log = pino({ level: 'silent' });
const app = `test-${randomBytes(4).toString('hex')}`;
const group = `test-${randomBytes(4).toString('hex')}`;
let testDb: TestDb;
let db: Db;
let broker: Broker;
let publisher: MqttClient;
/** DevEUI → device id, one water-level device each (one reading a message). */
const devices = new Map<string, string>();

const topicOf = (devEui: string) => `application/${app}/device/${devEui}/event/up`;
const level = (mm: number) => Buffer.from([mm >> 8, mm & 0xff]).toString('base64');
const uplink = (devEui: string, time: string, mm: number) =>
  JSON.stringify({ time, deviceInfo: { applicationId: app, devEui }, fCnt: 1, fPort: 1, data: level(mm) });
const send = (devEui: string, time: string, mm: number) =>
  publisher.publishAsync(topicOf(devEui), uplink(devEui, time, mm), { qos: 1 });
const until = async (done: () => boolean | Promise<boolean>) => {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20));
};

const worker = (over: {
  db?: Db;
  context?: ContextService;
  clientId?: string;
  shareGroup?: string;
  batchesInFlight?: number;
  connections?: number;
}) =>
  new IngestWorker({
    db,
    context: contextService(db),
    log,
    brokerUrl: broker.url,
    embedded: broker.embedded,
    shareGroup: group,
    clientId: `test-batch-${randomBytes(4).toString('hex')}`,
    application: app,
    ...over,
  });

/** The context service with `publishMany` replaced; everything else is the real one. */
function contextWith(publishMany: ContextService['publishMany']): ContextService {
  const real = contextService(db);
  return Object.assign(Object.create(real), { publishMany }) as ContextService;
}

const stored = (from: string, to: string) =>
  db.rows<{ eui: string; mm: number; at: string }>(
    sql`SELECT d.dev_eui AS eui, r.value AS mm, to_json(r.observed_at)#>>'{}' AS at
      FROM dev_readings r JOIN dev_devices d ON d.id = r.device_id
      WHERE d.dev_eui LIKE 'b0%' AND r.observed_at >= ${from}::timestamptz AND r.observed_at < ${to}::timestamptz
      ORDER BY r.observed_at, d.dev_eui`,
  );

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
    for (let i = 0; i < 40; i++) {
      const devEui = `b0${randomBytes(7).toString('hex')}`;
      const d = await repo.insertDevice(tx, {
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
      devices.set(devEui, d.id);
    }
  });
  broker = await startBroker({
    mqttUrl: process.env.MQTT_URL,
    port: 0,
    portExplicit: false,
    host: '127.0.0.1',
    log,
  });
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
}, 180_000);

afterAll(async () => {
  await publisher?.endAsync();
  await broker?.close();
  await testDb?.dispose();
});

describe('ingest batches', () => {
  it('a message that fails its batch goes to the dead letters alone; the batch is split, not written one by one', async () => {
    const euis = [...devices.keys()].slice(0, 33);
    const poison = euis[20];
    let received = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const real = contextService(db);
    const w = worker({
      shareGroup: `${group}-split`,
      // One batch at a time, so the 32 messages that arrive while the first is held make one batch.
      batchesInFlight: 1,
      context: contextWith(async (tx: Executor, entities) => {
        calls++;
        // The first batch (one message) waits until the other 32 have arrived, so they make one batch.
        if (calls === 1) await released;
        if (entities.some((e) => String(e.id).endsWith(poison))) throw new Error('entity refused');
        return real.publishMany(tx, entities);
      }),
    });
    await w.start();
    try {
      const time = '2026-11-20T01:00:00.000Z';
      await send(euis[0], time, 100);
      await until(() => w.stats.received >= 1);
      for (const [i, devEui] of euis.slice(1).entries()) await send(devEui, time, 101 + i);
      await until(() => {
        return w.stats.received >= euis.length;
      });
      received = w.stats.received;
      release();
      await until(async () => {
        await w.drain();
        return w.stats.messages >= euis.length;
      });
      // At least: other test files publish on the shared broker at the same time.
      expect(received).toBeGreaterThanOrEqual(euis.length);
      const rows = await stored('2026-11-20T01:00:00Z', '2026-11-20T02:00:00Z');
      expect(rows.map((r) => r.eui).sort()).toEqual(euis.filter((e) => e !== poison).sort());
      const [letter] = await db.rows<{ reason: string; detail: string }>(
        sql`SELECT reason, detail FROM dev_dead_letters WHERE topic = ${topicOf(poison)}`,
      );
      expect(letter).toEqual({ reason: 'store-failed', detail: 'entity refused' });
      const [own] = await db.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM dev_dead_letters
          WHERE topic IN (SELECT jsonb_array_elements_text(${JSON.stringify(euis.map(topicOf))}::jsonb))`,
      );
      expect(own.n).toBe(1);
      // One by one would take 1 + 32 + 1 writes; halving finds the one in about 2·log2(32) more.
      expect(calls).toBeLessThan(20);
      // The good ones' entities are there.
      const entity = await real.get('', `urn:ngsi-ld:WaterObserved:${euis[5]}`);
      expect(JSON.stringify(entity)).toContain('"value":105');
    } finally {
      await w.stop();
    }
  }, 60_000);

  // With two connections (an external broker) each message's acknowledgement must go back on its own.
  it.each([1, 2])(
    'a crash in the middle of a batch loses nothing: what was acknowledged stays, the rest comes again (%i connection(s))',
    async (connections) => {
      const euis = [...devices.keys()].slice(connections === 1 ? 0 : 10, connections === 1 ? 10 : 20);
      const day = connections === 1 ? '2026-11-21' : '2026-11-24';
      const clientId = `test-batch-crash-${randomBytes(4).toString('hex')}`;
      const shareGroup = `${group}-crash-${connections}`;
      let crashed = false;
      const gone: Db = {
        ...db,
        transaction: ((fn: Parameters<Db['transaction']>[0]) =>
          crashed ? Promise.reject(new Error('process gone')) : db.transaction(fn)) as Db['transaction'],
      };
      const real = contextService(db);
      // First life: batch A commits (acknowledged); batch B stores its readings, then the process dies
      // before the commit.
      const first = worker({
        db: gone,
        clientId,
        shareGroup,
        connections,
        context: contextWith(async (tx: Executor, entities) => {
          if (entities.some((e) => JSON.stringify(e).includes(`${day}T02`))) {
            crashed = true;
            await first.abort();
            throw new Error('crashed mid-batch');
          }
          return real.publishMany(tx, entities);
        }),
      });
      await first.start();
      for (const devEui of euis) await send(devEui, `${day}T01:00:00.000Z`, 200);
      await until(async () => {
        await first.drain();
        return first.stats.messages >= euis.length;
      });
      for (const [i, devEui] of euis.entries()) await send(devEui, `${day}T02:00:00.000Z`, 300 + i);
      await until(() => crashed);
      await first.drain();
      expect(await stored(`${day}T02:00:00Z`, `${day}T03:00:00Z`)).toEqual([]);

      // Second life, same session: only batch B comes again, and every reading is stored once.
      const second = worker({ clientId, shareGroup, connections });
      await second.start();
      try {
        await until(async () => {
          await second.drain();
          return (await stored(`${day}T02:00:00Z`, `${day}T03:00:00Z`)).length >= euis.length;
        });
        await second.drain();
        expect(await stored(`${day}T01:00:00Z`, `${day}T02:00:00Z`)).toHaveLength(euis.length);
        expect((await stored(`${day}T02:00:00Z`, `${day}T03:00:00Z`)).map((r) => r.mm).sort()).toEqual(
          euis.map((_, i) => 300 + i).sort(),
        );
        expect(second.stats.duplicates).toBe(0);
        const entity = await real.get('', `urn:ngsi-ld:WaterObserved:${euis[3]}`);
        expect(JSON.stringify(entity)).toContain('"value":303');
      } finally {
        await second.stop();
      }
    },
    60_000,
  );

  it('a late, older uplink is stored but does not roll the device’s entity back', async () => {
    const devEui = [...devices.keys()][39];
    const w = worker({ shareGroup: `${group}-late` });
    await w.start();
    try {
      await send(devEui, '2026-11-22T05:00:00.000Z', 500);
      await until(async () => {
        await w.drain();
        return w.stats.messages >= 1;
      });
      await send(devEui, '2026-11-22T04:00:00.000Z', 400);
      await until(async () => {
        await w.drain();
        return w.stats.messages >= 2;
      });
      const rows = await stored('2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z');
      expect(rows.map((r) => r.mm)).toEqual([400, 500]);
      const entity = JSON.stringify(await contextService(db).get('', `urn:ngsi-ld:WaterObserved:${devEui}`));
      expect(entity).toContain('"value":500');
      expect(entity).not.toContain('"value":400');
    } finally {
      await w.stop();
    }
  }, 60_000);
});
