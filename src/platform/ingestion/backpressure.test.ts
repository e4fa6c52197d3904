import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { IngestWorker } from './worker.ts';

const log = pino({ level: 'silent' });
let testDb: TestDb;
let broker: Broker;
const devices: { eui: string; id: string }[] = [];
const app = `bp-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  testDb = await freshDatabase([]);
  const offices = await seedOrganisation(testDb.db);
  const repo = new DeviceRepository(testDb.db);
  await testDb.db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: 'air',
      decoder: { kind: 'cayenne-lpp' },
      quantities: [
        { field: 'analog_input_1', quantity: 'pm25' },
        { field: 'temperature_2', quantity: 'temperature' },
        { field: 'humidity_3', quantity: 'relativeHumidity' },
      ],
      entityType: 'AirQualityObserved',
    });
    for (let i = 0; i < 10; i++) {
      const eui = randomBytes(8).toString('hex');
      const d = await repo.insertDevice(tx, {
        devEui: eui,
        name: `bp ${i}`,
        profileId: profile.id,
        officeId: offices.get('engineering')!,
        zoneCode: null,
        installedOn: null,
        tags: [],
        lon: 102.835,
        lat: 16.425,
      });
      devices.push({ eui, id: d.id });
    }
  });
  // Always the embedded Aedes, also when MQTT_URL is set: it is the broker without receive-maximum, and
  // a flood on a shared Mosquitto would reach every other worker's subscription.
  broker = await startBroker({ port: 0, portExplicit: false, host: '127.0.0.1', log });
}, 60_000);

afterAll(async () => {
  await broker?.close();
  await testDb?.dispose();
});

const data = Buffer.from('01020EF10267FFF10368A0', 'hex').toString('base64');

/**
 * Publishing far faster than the database commits (the first batch is held until the worker has had
 * to stop reading) must not grow the worker's queue past its bound; afterwards every message is
 * stored once. On Aedes (no receive-maximum) only the worker's gate bounds it.
 */
describe('back-pressure', () => {
  it('keeps the in-memory queue bounded under overload, and loses nothing', async () => {
    const total = 1500;
    const maxPending = 100;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let first = true;
    const worker = new IngestWorker({
      db: testDb.db,
      context: contextService(testDb.db),
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      shareGroup: `${app}-g`,
      clientId: `${app}-worker`,
      application: app,
      batchSize: 50,
      maxPending,
      afterCommit: async () => {
        if (!first) return;
        first = false;
        await held;
      },
    });
    await worker.start();
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
    try {
      const start = Date.parse('2026-11-25T00:00:00Z');
      let acked = 0;
      const sent = Array.from({ length: total }, (_, i) => {
        const d = devices[i % devices.length];
        const payload = JSON.stringify({
          time: new Date(start + i * 1000).toISOString(),
          deviceInfo: { devEui: d.eui },
          fCnt: i,
          fPort: 1,
          data,
        });
        return publisher
          .publishAsync(`application/${app}/device/${d.eui}/event/up`, payload, { qos: 1 })
          .then(() => acked++);
      });
      // The first batch's commit waits until the gate has closed (or, if it never does, all is sent).
      while (worker.stats.pauses === 0 && acked < total) await new Promise((r) => setTimeout(r, 20));
      release();
      await Promise.all(sent);
      const ours = async () =>
        (
          await testDb.db.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM dev_readings r JOIN dev_devices d ON d.id = r.device_id
              WHERE d.name LIKE 'bp %'`,
          )
        )[0].n;
      while ((await ours()) < total * 3) {
        await new Promise((r) => setTimeout(r, 50));
        await worker.drain();
      }
      expect(worker.stats.pauses).toBeGreaterThan(0);
      expect(worker.stats.peakPending).toBeLessThanOrEqual(maxPending);
      expect(worker.stats.deadLetters).toBe(0);
      expect(worker.stats.duplicates).toBe(0);
      expect(await ours()).toBe(total * 3);
    } finally {
      await publisher.endAsync();
      await worker.stop();
    }
  }, 180_000);
});
