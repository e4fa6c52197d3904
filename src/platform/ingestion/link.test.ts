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
import { LinkRepository } from '../devices/link-repository.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { IngestWorker } from './worker.ts';

/** Status and join events, the generic JSON topic and gateways, through the real worker and broker. */
const log = pino({ level: 'silent' });
let testDb: TestDb;
let db: Db;
let broker: Broker;
let worker: IngestWorker;
let publisher: MqttClient;
const app = `test-${randomBytes(4).toString('hex')}`;
const lora = randomBytes(8).toString('hex');
const plain = randomBytes(8).toString('hex');
// Random gateway ids: an external broker and database may hold other runs' gateways.
const gw1 = randomBytes(8).toString('hex');
const gw2 = randomBytes(8).toString('hex');
let loraId: string;
let plainId: string;

const chirp = (eui: string, kind: string) => `application/${app}/device/${eui}/event/${kind}`;
const info = (eui: string) => ({ tenantId: 't', applicationId: app, deviceName: 'x', devEui: eui });

async function send(topic: string, body: unknown) {
  const before = worker.stats.messages;
  await publisher.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 });
  while (worker.stats.messages < before + 1) {
    await new Promise((r) => setTimeout(r, 20));
    await worker.drain();
  }
}
const device = async (id: string) =>
  (
    await db.rows<Record<string, unknown>>(
      sql`SELECT margin, external_power AS "externalPower", battery::float8 AS battery, dev_addr AS "devAddr",
      to_json(joined_at)#>>'{}' AS "joinedAt", last_gateway_id AS "gatewayId", to_json(last_seen_at)#>>'{}' AS "lastSeenAt"
      FROM dev_devices WHERE id = ${id}`,
    )
  )[0];
/** The newest dead letter of a topic: other test files publish on the shared broker at the same time. */
const lastDeadLetter = async (topic: string) =>
  (
    await db.rows<{ reason: string; detail: string; topic: string }>(
      sql`SELECT reason, detail, topic FROM dev_dead_letters WHERE topic = ${topic}
        ORDER BY received_at DESC LIMIT 1`,
    )
  )[0];

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  await db.transaction(async (tx) => {
    const p = await repo.insertProfile(tx, {
      name: 'lpp',
      decoder: { kind: 'cayenne-lpp' },
      quantities: [{ field: 'temperature_2', quantity: 'temperature', unit: 'CEL' }],
      entityType: 'Device',
    });
    const g = await repo.insertProfile(tx, {
      name: 'plain',
      decoder: { kind: 'json' },
      quantities: [
        { field: 'pm25', quantity: 'pm25', unit: 'GQ' },
        { field: 'pm10', quantity: 'pm10', unit: 'GQ' },
      ],
      entityType: 'AirQualityObserved',
    });
    const base = { officeId: offices.get('engineering')!, zoneCode: null, installedOn: null, tags: [] };
    loraId = (
      await repo.insertDevice(tx, {
        ...base,
        devEui: lora,
        name: 'L',
        profileId: p.id,
        lon: 102.83,
        lat: 16.43,
      })
    ).id;
    plainId = (
      await repo.insertDevice(tx, {
        ...base,
        devEui: plain,
        name: 'P',
        profileId: g.id,
        lon: 102.84,
        lat: 16.44,
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
    shareGroup: `test-${randomBytes(4).toString('hex')}`,
    clientId: `test-link-${randomBytes(4).toString('hex')}`,
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

describe('status and join events', () => {
  it('subscribes to every topic in the share group', () => {
    expect(worker.topics).toHaveLength(6);
    for (const t of worker.topics) expect(t.startsWith('$share/')).toBe(!broker.embedded);
  });

  it('stores a status event on the device and in its event log, once when redelivered', async () => {
    const status = { time: '2026-11-25T03:00:00Z', deviceInfo: info(lora), margin: 9, batteryLevel: 64.5 };
    await send(chirp(lora, 'status'), status);
    await send(chirp(lora, 'status'), status);
    expect(await device(loraId)).toMatchObject({ margin: 9, externalPower: false, battery: 64.5 });
    const events = await new LinkRepository(db).events(loraId, 10);
    expect(events).toEqual([
      {
        kind: 'status',
        at: '2026-11-25T03:00:00+00:00',
        detail: { margin: 9, externalPower: false, batteryLevel: 64.5 },
      },
    ]);
  });

  it('stores a join with its device address', async () => {
    await send(chirp(lora, 'join'), {
      time: '2026-11-25T02:00:00Z',
      deviceInfo: info(lora),
      devAddr: '0a0b0c0d',
    });
    expect(await device(loraId)).toMatchObject({
      devAddr: '0a0b0c0d',
      joinedAt: '2026-11-25T02:00:00+00:00',
    });
    expect((await new LinkRepository(db).events(loraId, 10)).map((e) => e.kind)).toEqual(['status', 'join']);
  });

  it('sends a malformed status and an unknown device to the dead letters with the reason', async () => {
    await send(chirp(lora, 'status'), { deviceInfo: info(lora), batteryLevel: 'full' });
    expect(await lastDeadLetter(chirp(lora, 'status'))).toMatchObject({
      reason: 'unparseable',
      detail: 'batteryLevel is not a percentage',
    });
    const stranger = randomBytes(8).toString('hex');
    await send(chirp(stranger, 'join'), { deviceInfo: info(stranger) });
    expect(await lastDeadLetter(chirp(stranger, 'join'))).toMatchObject({ reason: 'unknown-device' });
  });
});

describe('generic JSON topic', () => {
  const topic = () => `mueang/devices/${plain}/readings`;
  it('stores values by quantity, drops a duplicate and updates the entity', async () => {
    const body = { time: '2026-11-25T04:00:00Z', values: { pm25: 41.5, pm10: 60 } };
    await send(topic(), body);
    const dupBefore = worker.stats.duplicates;
    await send(topic(), body);
    expect(worker.stats.duplicates).toBe(dupBefore + 1);
    const rows = await db.rows<{ quantity: string; value: number }>(
      sql`SELECT quantity, value FROM dev_readings WHERE device_id = ${plainId} ORDER BY quantity`,
    );
    expect(rows).toEqual([
      { quantity: 'pm10', value: 60 },
      { quantity: 'pm25', value: 41.5 },
    ]);
    const entity = await contextService(db).get('', `urn:ngsi-ld:AirQualityObserved:${plain}`);
    expect(entity.attrs['https://uri.etsi.org/ngsi-ld/default-context/pm25']).toMatchObject({
      value: 41.5,
      unitCode: 'GQ',
    });
  });

  it('refuses a quantity the profile does not measure, and wrong types, as dead letters', async () => {
    await send(topic(), { values: { noise: 70 } });
    expect(await lastDeadLetter(topic())).toMatchObject({
      reason: 'unmapped',
      detail: 'the profile measures no noise',
    });
    await send(topic(), { values: { pm25: '41' } });
    expect(await lastDeadLetter(topic())).toMatchObject({ reason: 'unparseable' });
    await send(topic(), 'not json at all');
    expect(await lastDeadLetter(topic())).toMatchObject({ reason: 'unparseable' });
  });
});

describe('gateways', () => {
  it('records the gateways of an uplink, their last seen and the device they serve best', async () => {
    const up = (time: string, rssi2: number) => ({
      time,
      deviceInfo: info(lora),
      fCnt: 3,
      data: Buffer.from('0267FFF1', 'hex').toString('base64'),
      rxInfo: [
        { gatewayId: gw1, rssi: -100, snr: 1 },
        { gatewayId: gw2, rssi: rssi2, snr: 8 },
      ],
    });
    await send(chirp(lora, 'up'), up('2026-11-25T05:00:00Z', -70));
    await send(chirp(lora, 'up'), up('2026-11-25T05:15:00Z', -72));
    // An older message arriving late does not move last seen back.
    await send(chirp(lora, 'up'), up('2026-11-25T04:45:00Z', -71));
    const gws = (await new LinkRepository(db).gateways()).filter((g) => [gw1, gw2].includes(g.gatewayId));
    expect(gws.map((g) => [g.gatewayId, g.lastSeenAt, g.devices]).sort()).toEqual(
      [
        [gw1, '2026-11-25T05:15:00+00:00', 0],
        [gw2, '2026-11-25T05:15:00+00:00', 1],
      ].sort(),
    );
    expect(await device(loraId)).toMatchObject({ gatewayId: gw2 });
  });
});
