import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events } from '../../core/events/outbox.ts';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { AlertService } from '../alerts/service.ts';
import { contextService } from '../context/service.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { IngestWorker } from '../ingestion/worker.ts';
import { RuleEvaluator } from './evaluator.ts';
import { RuleRepository } from './repository.ts';

/**
 * End to end: an uplink published to MQTT → readings stored → queued for the rules (the worker's
 * afterCommit, as `src/server.ts` wires it) → the rule's alert raised.
 */
const log = pino({ level: 'silent' });
const app = `test-${randomBytes(4).toString('hex')}`;
const devEui = randomBytes(8).toString('hex');
let testDb: TestDb;
let broker: Broker;
let worker: IngestWorker;
let publisher: MqttClient;
let evaluator: RuleEvaluator;
let deviceId: string;
let ruleId: string;
let failing = false;

beforeAll(async () => {
  testDb = await freshDatabase([]);
  const db = testDb.db;
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  await db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: `level ${devEui}`,
      decoder: {
        kind: 'bytes',
        fields: [{ field: 'mm', offset: 0, length: 2, signed: false, endianness: 'big', scale: 0.001 }],
      },
      quantities: [{ field: 'mm', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    });
    deviceId = (
      await repo.insertDevice(tx, {
        devEui,
        name: 'Canal gauge',
        profileId: profile.id,
        officeId: offices.get('engineering')!,
        lon: 102.81,
        lat: 16.45,
        zoneCode: 'zone-1',
        installedOn: null,
        tags: [],
      })
    ).id;
    ruleId = (
      await new RuleRepository(db).insert(
        tx,
        {
          name: { th: 'ระดับน้ำถึงขั้นเตือนภัย', en: 'Water level at warning' },
          scope: { kind: 'zone', zoneCode: 'zone-1' },
          quantity: 'waterLevel',
          params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.8 },
          category: 'met',
          urgency: 'immediate',
          severity: 'severe',
          certainty: 'observed',
        },
        offices.get('engineering')!,
      )
    ).id;
  });
  const alerts = new AlertService(db, new Events(db, log), 'mueang@test', { th: 'ทดสอบ', en: 'Test' });
  evaluator = new RuleEvaluator(db, alerts, log);
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
    clientId: `test-rules-${randomBytes(4).toString('hex')}`,
    application: app,
    afterCommit: (rows) => {
      if (failing) throw new Error('rules are broken');
      return evaluator.enqueue(rows);
    },
  });
  await worker.start();
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await worker?.stop();
  await evaluator?.stop();
  await broker?.close();
  await testDb?.dispose();
});

async function send(mm: number, time: string) {
  const data = Buffer.alloc(2);
  data.writeUInt16BE(mm);
  const before = worker.stats.messages;
  await publisher.publishAsync(
    `application/${app}/device/${devEui}/event/up`,
    JSON.stringify({
      deduplicationId: randomBytes(16).toString('hex'),
      time,
      deviceInfo: { tenantId: 't', applicationId: app, deviceName: 'x', devEui },
      fCnt: 1,
      fPort: 1,
      data: data.toString('base64'),
    }),
    { qos: 1 },
  );
  while (worker.stats.messages <= before) {
    await new Promise((r) => setTimeout(r, 20));
    await worker.drain();
  }
  await evaluator.settled();
}

const alerts = () =>
  testDb.db.rows<{ status: string; subject: string; severity: string }>(
    sql`SELECT status, subject, severity FROM alert_alerts WHERE rule_id = ${ruleId} ORDER BY raised_at`,
  );

describe('rules on the ingestion stream', () => {
  it('raises the alert once the queued reading is evaluated, and resolves it when the level falls', async () => {
    await send(1500, '2026-11-25T03:00:00Z');
    expect(await alerts()).toEqual([]);
    await send(2300, '2026-11-25T03:05:00Z');
    // settled() returned once the queue was evaluated: no further evaluation cycle is needed
    expect(await alerts()).toEqual([{ status: 'raised', subject: deviceId, severity: 'severe' }]);
    await send(1700, '2026-11-25T03:10:00Z');
    expect((await alerts()).map((a) => a.status)).toEqual(['resolved']);
  });

  it('keeps ingesting when the rules listener fails', async () => {
    failing = true;
    await send(2500, '2026-11-25T03:15:00Z');
    failing = false;
    const [{ n }] = await testDb.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM dev_readings WHERE device_id = ${deviceId}`,
    );
    expect(n).toBe(4);
    expect((await alerts()).map((a) => a.status)).toEqual(['resolved']);
  });
});
