import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { IngestWorker } from './worker.ts';

const log = pino({ level: 'silent' });
const shareGroup = `test-${randomBytes(4).toString('hex')}`;
let testDb: TestDb;
let db: Db;
let broker: Broker;
let worker: IngestWorker;
let publisher: MqttClient;
// Random application id and DevEUIs: an external broker may carry other runs' traffic.
const app = `test-${randomBytes(4).toString('hex')}`;
const eui = () => randomBytes(8).toString('hex');
const air = eui();
const level = eui();
let airId: string;
let levelId: string;

const lpp = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex').toString('base64');
const topicOf = (devEui: string) => `application/${app}/device/${devEui}/event/up`;
function uplink(devEui: string, over: Record<string, unknown> = {}) {
  return JSON.stringify({
    deduplicationId: randomBytes(16).toString('hex'),
    time: '2026-11-25T03:00:00.123456Z',
    deviceInfo: { tenantId: 't', applicationId: app, deviceName: 'x', devEui: devEui.toUpperCase() },
    devAddr: '01020304',
    fCnt: 7,
    fPort: 1,
    // channel 1 analog input 38.25 (PM2.5), channel 2 temperature -1.5 °C, channel 3 humidity 80 %
    data: lpp('01 02 0E F1 02 67 FF F1 03 68 A0'),
    rxInfo: [
      { gatewayId: 'a', rssi: -97, snr: 3.5 },
      { gatewayId: 'b', rssi: -71, snr: 9.25 },
    ],
    ...over,
  });
}

async function publish(topic: string, payload: string | Buffer) {
  await publisher.publishAsync(topic, payload, { qos: 1 });
}
/** Waits until the worker has written `n` messages in all (polls; the test's own timeout bounds it). */
async function written(n: number) {
  while (worker.stats.messages < n) {
    await new Promise((r) => setTimeout(r, 20));
    await worker.drain();
  }
}

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  await db.transaction(async (tx) => {
    const airProfile = await repo.insertProfile(tx, {
      name: 'air',
      decoder: { kind: 'cayenne-lpp' },
      quantities: [
        { field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' },
        { field: 'temperature_2', quantity: 'temperature' },
        { field: 'humidity_3', quantity: 'relativeHumidity' },
      ],
      entityType: 'AirQualityObserved',
    });
    const levelProfile = await repo.insertProfile(tx, {
      name: 'level',
      decoder: {
        kind: 'bytes',
        fields: [{ field: 'mm', offset: 0, length: 2, signed: false, endianness: 'big', scale: 0.001 }],
      },
      quantities: [{ field: 'mm', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    });
    const base = { officeId: offices.get('engineering')!, zoneCode: null, installedOn: null, tags: [] };
    airId = (
      await repo.insertDevice(tx, {
        ...base,
        devEui: air,
        name: 'Air 1',
        profileId: airProfile.id,
        lon: 102.835,
        lat: 16.425,
      })
    ).id;
    levelId = (
      await repo.insertDevice(tx, {
        ...base,
        devEui: level,
        name: 'Canal',
        profileId: levelProfile.id,
        lon: 102.81,
        lat: 16.45,
      })
    ).id;
  });
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
    shareGroup,
    clientId: `test-ingest-${randomBytes(4).toString('hex')}`,
    application: app,
  });
  await worker.start();
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await worker?.stop();
  await broker?.close();
  await testDb?.dispose();
});

const readings = (deviceId: string) =>
  db.rows<{ quantity: string; value: number; fCnt: number; at: string }>(
    sql`SELECT quantity, value, f_cnt::int AS "fCnt", to_json(observed_at)#>>'{}' AS at FROM dev_readings
      WHERE device_id = ${deviceId} ORDER BY observed_at, quantity`,
  );
const deadLetters = () =>
  db.rows<{ reason: string; detail: string; devEui: string | null; payload: Buffer | Uint8Array }>(
    sql`SELECT reason, detail, dev_eui AS "devEui", payload FROM dev_dead_letters
      WHERE topic LIKE ${`application/${app}/%`} OR topic LIKE 'not/%' ORDER BY received_at, id`,
  );

describe('ingest', () => {
  it(`subscribes ${process.env.MQTT_URL ? 'with a shared subscription on the external broker' : 'plainly on the embedded broker (Aedes has no shared subscriptions)'}`, () => {
    expect(worker.topic.startsWith('$share/')).toBe(!broker.embedded);
  });

  it('stores a ChirpStack uplink’s readings, updates the device and its NGSI-LD entity', async () => {
    await publish(topicOf(air), uplink(air));
    await written(1);
    expect(await readings(airId)).toEqual([
      { quantity: 'pm25', value: 38.25, fCnt: 7, at: expect.stringMatching(/^2026-11-25T03:00:00\.123/) },
      { quantity: 'relativeHumidity', value: 80, fCnt: 7, at: expect.any(String) },
      { quantity: 'temperature', value: -1.5, fCnt: 7, at: expect.any(String) },
    ]);
    const [device] = await db.rows<{ rssi: number; snr: number; seen: string; fCnt: number }>(
      sql`SELECT rssi, snr::float8 AS snr, to_json(last_seen_at)#>>'{}' AS seen, last_f_cnt::int AS "fCnt" FROM dev_devices WHERE id = ${airId}`,
    );
    expect(device).toMatchObject({ rssi: -71, snr: 9.25, fCnt: 7 });
    expect(device.seen).toMatch(/^2026-11-25T03:00:00\.123/);
    const entity = await contextService(db).get('', `urn:ngsi-ld:AirQualityObserved:${air}`);
    expect(entity.types.map((x) => x.split(/[/#]/).pop())).toEqual(['AirQualityObserved']);
    expect(JSON.stringify(entity)).toContain('38.25');
  });

  it('stores a redelivered or duplicated uplink once and counts it', async () => {
    const before = worker.stats;
    const dupsBefore = before.duplicates;
    const seen = before.messages;
    const again = uplink(air, { fCnt: 8, time: '2026-11-25T03:05:00Z', data: lpp('01 02 0F A0') });
    await publish(topicOf(air), again);
    await publish(topicOf(air), again);
    await written(seen + 2);
    const pm = (await readings(airId)).filter((r) => r.quantity === 'pm25');
    expect(pm.map((r) => r.value)).toEqual([38.25, 40]);
    expect(worker.stats.duplicates - dupsBefore).toBe(1);
    // The same message again in a later batch is dropped too.
    await publish(topicOf(air), again);
    await written(seen + 3);
    expect((await readings(airId)).filter((r) => r.quantity === 'pm25')).toHaveLength(2);
    expect(worker.stats.duplicates - dupsBefore).toBe(2);
  });

  it('sends the unparseable, the unknown and the undecodable to the dead letters with the reason', async () => {
    const seen = worker.stats.messages;
    const stranger = eui();
    await publish(topicOf(air), 'not json at all');
    await publish(topicOf(air), Buffer.from([0xff, 0x00, 0xfe]));
    await publish(topicOf(air), uplink(air, { data: '###' }));
    await publish(topicOf(air), uplink(air, { fCnt: -1 }));
    await publish(topicOf(air), uplink(air, { time: 'yesterday' }));
    await publish(topicOf(air), JSON.stringify([1, 2]));
    await publish(topicOf(level), uplink(air)); // topic and event disagree
    await publish(topicOf(stranger), uplink(stranger));
    await publish(topicOf(air), uplink(air, { time: '2026-11-25T03:10:00Z', data: lpp('01 02 0E') })); // truncated LPP
    await publish(topicOf(level), uplink(level, { data: lpp('01') })); // layout needs 2 bytes
    await publish(topicOf(air), uplink(air, { time: '2026-11-25T03:11:00Z', data: lpp('07 67 00 10') })); // unmapped channel
    await publish(topicOf(air), uplink(air, { data: undefined, time: '2026-11-25T03:12:00Z' })); // no payload
    await written(seen + 12);
    const dead = await deadLetters();
    // One batch shares one arrival time, so compare as a multiset.
    expect(dead.map((d) => d.reason).sort()).toEqual(
      [
        'unparseable',
        'unparseable',
        'unparseable',
        'unparseable',
        'unparseable',
        'unparseable',
        'topic-mismatch',
        'unknown-device',
        'undecodable',
        'undecodable',
        'unmapped',
        'undecodable',
      ].sort(),
    );
    expect(dead.some((d) => Buffer.from(d.payload).equals(Buffer.from([0xff, 0x00, 0xfe])))).toBe(true);
    expect(dead.find((d) => d.reason === 'unknown-device')?.devEui).toBe(stranger);
    expect(dead.filter((d) => d.detail.startsWith('truncated'))).toHaveLength(2);
    expect((await readings(airId)).filter((r) => r.at.startsWith('2026-11-25T03:1'))).toEqual([]);
  });

  it('survives random garbage and keeps working', async () => {
    const seen = worker.stats.messages;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const n = 100;
    for (let i = 0; i < n; i++) {
      const bytes = Buffer.alloc(Math.floor(rand() * 300));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      // Half as raw bytes, half as a well-formed event carrying random data.
      await publish(
        topicOf(i % 2 ? air : level),
        i % 2
          ? bytes
          : uplink(i % 2 ? air : level, {
              data: bytes.toString('base64'),
              time: new Date(Date.UTC(2026, 10, 24, 0, 0, i)).toISOString(),
            }),
      );
    }
    await publish(topicOf(level), uplink(level, { data: lpp('0B B8'), time: '2026-11-25T04:00:00Z' }));
    await written(seen + n + 1);
    expect((await readings(levelId)).filter((r) => r.at.startsWith('2026-11-25T04'))).toEqual([
      { quantity: 'waterLevel', value: 3, fCnt: 7, at: expect.any(String) },
    ]);
    const [counts] = await db.rows<{ dead: number }>(
      sql`SELECT count(*)::int AS dead FROM dev_dead_letters WHERE topic LIKE ${`application/${app}/%`}`,
    );
    // Every message either stored readings or left a dead letter: nothing vanished.
    const storedGarbage = await db.rows<{ n: number }>(
      sql`SELECT count(DISTINCT (device_id, observed_at))::int AS n FROM dev_readings WHERE observed_at < '2026-11-25'`,
    );
    expect(counts.dead + storedGarbage[0].n).toBe(12 + n);
  });

  it('after a crash, redelivers what was not acknowledged and stores every reading once', async () => {
    // The shared worker would take these messages too on the embedded broker: this test runs alone.
    await worker.stop();
    const clientId = `test-crash-${randomBytes(4).toString('hex')}`;
    // A group of its own: the stopped worker's persistent session still holds its share of the first group.
    const options = {
      context: contextService(db),
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      shareGroup: `${shareGroup}-crash`,
      clientId,
      application: app,
    };
    // First life: the database is down, so nothing received may be acknowledged.
    const down: Db = { ...db, transaction: () => Promise.reject(new Error('database down')) };
    const first = new IngestWorker({ ...options, db: down });
    await first.start();
    const times = [0, 1, 2, 3, 4].map((i) => new Date(Date.UTC(2026, 10, 25, 6, i)).toISOString());
    for (const time of times) await publish(topicOf(level), uplink(level, { time, data: lpp('0F A0') }));
    while (first.stats.received < times.length) await new Promise((r) => setTimeout(r, 20));
    expect(first.stats.messages).toBe(0);
    await first.abort();

    // Second life, same session: the broker sends the unacknowledged messages again.
    const second = new IngestWorker({ ...options, db });
    await second.start();
    const stored = () =>
      db.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM dev_readings WHERE device_id = ${levelId} AND observed_at >= '2026-11-25T06:00:00Z' AND observed_at < '2026-11-25T07:00:00Z'`,
      );
    while ((await stored())[0].n < times.length) {
      await new Promise((r) => setTimeout(r, 20));
      await second.drain();
    }
    // And once only, even when the network server sends one again.
    await publish(topicOf(level), uplink(level, { time: times[0], data: lpp('0F A0') }));
    while (second.stats.messages < times.length + 1) {
      await new Promise((r) => setTimeout(r, 20));
      await second.drain();
    }
    expect((await stored())[0].n).toBe(times.length);
    await second.stop();
  }, 60_000);
});
