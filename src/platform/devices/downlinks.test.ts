import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { DownlinkPublisher } from '../ingestion/downlink-publisher.ts';
import { IngestWorker } from '../ingestion/worker.ts';

/** Downlinks end to end: the API, the publisher on the broker, and txack/ack through the ingest worker. */
const log = pino({ level: 'silent' });
let t: TestApp;
let broker: Broker;
let worker: IngestWorker;
let publisher: DownlinkPublisher;
let client: MqttClient;
const received: { topic: string; body: Record<string, unknown> }[] = [];
// Random per run: an external broker and database may hold other runs' messages.
const app = randomUUID();
const eui = randomBytes(8).toString('hex');
const otherEui = randomBytes(8).toString('hex');
let deviceId: string;
let otherId: string;

const url = (id = deviceId) => `/api/devices/${id}/downlinks`;
const queue = async (payload: unknown, role: 'officer' | 'admin' | 'citizen' = 'officer', id = deviceId) =>
  t.json({ method: 'POST', url: url(id), headers: await t.tokenFor(role), payload: payload as object });
const row = async (id: string) => {
  const res = await t.json({ method: 'GET', url: url(), headers: await t.tokenFor('officer') });
  return res.body.find((d: { id: string }) => d.id === id);
};
const until = async (done: () => boolean | Promise<boolean>) => {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20));
};
async function send(kind: string, body: unknown, devEui = eui) {
  const before = worker.stats.messages;
  await client.publishAsync(
    `application/${app}/device/${devEui}/event/${kind}`,
    typeof body === 'string' ? body : JSON.stringify(body),
    { qos: 1 },
  );
  await until(async () => {
    await worker.drain();
    return worker.stats.messages > before;
  });
}
const info = (devEui = eui) => ({ tenantId: randomUUID(), applicationId: app, deviceName: 'x', devEui });
const lastDeadLetter = async () =>
  (
    await t.db.rows<{ reason: string; topic: string }>(
      sql`SELECT reason, topic FROM dev_dead_letters ORDER BY received_at DESC, id DESC LIMIT 1`,
    )
  )[0];

beforeAll(async () => {
  t = await testApp({ modules: [] });
  const admin = await t.tokenFor('admin');
  const offices = await t.json({ method: 'GET', url: '/api/org/offices' });
  const office = (code: string) => offices.body.find((o: { code: string }) => o.code === code).id;
  const profile = await t.json({
    method: 'POST',
    url: '/api/device-profiles',
    headers: admin,
    payload: {
      name: 'Canal level',
      decoder: { kind: 'json' },
      quantities: [{ field: 'waterLevel', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    },
  });
  const create = async (devEui: string, officeId: string) =>
    (
      await t.json({
        method: 'POST',
        url: '/api/devices',
        headers: admin,
        payload: {
          devEui,
          name: `Gauge ${devEui}`,
          profileId: profile.body.id,
          officeId,
          location: { lon: 102.83, lat: 16.44 },
          tags: [],
        },
      })
    ).body.id;
  // The demo officer works in the clerk's office.
  deviceId = await create(eui, office('clerk'));
  otherId = await create(otherEui, office('engineering'));
  broker = await startBroker({
    mqttUrl: process.env.MQTT_URL,
    port: 0,
    portExplicit: false,
    host: '127.0.0.1',
    log,
  });
  worker = new IngestWorker({
    db: t.db,
    context: contextService(t.db),
    log,
    brokerUrl: broker.url,
    embedded: broker.embedded,
    shareGroup: `test-${randomBytes(4).toString('hex')}`,
    clientId: `test-down-${randomBytes(4).toString('hex')}`,
  });
  await worker.start();
  const options = {
    db: t.db,
    log,
    brokerUrl: broker.url,
    embedded: broker.embedded,
    clientId: `test-pub-${randomBytes(4).toString('hex')}`,
    // Rounds only when the test asks, so what is sent is known.
    everyMs: 3_600_000,
  };
  publisher = new DownlinkPublisher(options);
  await publisher.start();
  client = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
  client.on('message', (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) }));
  await client.subscribeAsync(`application/${app}/device/+/command/down`, { qos: 1 });
}, 60_000);

afterAll(async () => {
  await client?.endAsync();
  await publisher?.stop();
  await worker?.stop();
  await broker?.close();
  await t?.close();
});

describe('queueing a downlink', () => {
  it('refuses bad bodies with problem details', async () => {
    const bad = [
      { fPort: 0, payload: { hex: '01' } },
      { fPort: 224, payload: { hex: '01' } },
      { fPort: '1', payload: { hex: '01' } },
      { fPort: 1.5, payload: { hex: '01' } },
      { fPort: 1, payload: { hex: 'abc' } },
      { fPort: 1, payload: { hex: '' } },
      { fPort: 1, payload: { hex: 'zz' } },
      { fPort: 1, payload: { hex: 'ab'.repeat(243) } },
      { fPort: 1, payload: { base64: Buffer.alloc(243).toString('base64') } },
      { fPort: 1, payload: { base64: 'A===' } },
      { fPort: 1, payload: { hex: "01'; DROP TABLE dev_downlinks;--" } },
      { fPort: 1, payload: { base64: '<script>alert(1)</script>' } },
      { fPort: 1, payload: { hex: '01', base64: 'AQ==' } },
      { fPort: 1, payload: { command: { name: 'set-reporting-interval', intervalS: 5 } } },
      { fPort: 1, payload: { command: { name: 'run', code: 'process.exit()' } } },
      { fPort: 1, payload: { hex: '01' }, ttlS: 1 },
      { fPort: 1, payload: { hex: '01' }, extra: true },
      { fPort: 1 },
      [],
    ];
    for (const body of bad) {
      const res = await queue(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const [{ n }] = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM dev_downlinks`);
    expect(n).toBe(0);
  });

  it('takes 242 bytes, refuses other offices’ operators and citizens, and audits', async () => {
    expect((await queue({ fPort: 1, payload: { hex: '01' } }, 'officer', otherId)).status).toBe(403);
    expect((await queue({ fPort: 1, payload: { hex: '01' } }, 'citizen')).status).toBe(403);
    expect(
      (await t.json({ method: 'POST', url: url(), payload: { fPort: 1, payload: { hex: '01' } } })).status,
    ).toBe(401);
    const big = await queue(
      { fPort: 2, payload: { base64: Buffer.alloc(242, 7).toString('base64') } },
      'admin',
      otherId,
    );
    expect(big.status).toBe(201);
    expect(big.body.payloadHex).toBe('07'.repeat(242));
    const [audited] = await t.db.rows<{ detail: { bytes: number } }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'devices.downlink.queue' AND resource_id = ${big.body.id}`,
    );
    expect(audited.detail.bytes).toBe(242);
  });
});

describe('publishing and following a downlink', () => {
  let confirmedId: string;

  it('waits for the device’s ChirpStack application, then publishes the command once', async () => {
    const res = await queue({
      fPort: 10,
      confirmed: true,
      payload: { command: { name: 'set-reporting-interval', intervalS: 3600 } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'queued', payloadHex: '01000e10', confirmed: true });
    confirmedId = res.body.id;
    // Never heard from: no application, nothing to publish to.
    expect(await publisher.tick()).toBe(0);
    await send('up', {
      deviceInfo: info(),
      time: new Date().toISOString(),
      fCnt: 1,
      object: { waterLevel: 1.25 },
    });
    expect(await publisher.tick()).toBe(1);
    await until(() => received.some((m) => m.body.id === confirmedId));
    const sent = received.filter((m) => m.body.id === confirmedId);
    expect(sent).toEqual([
      {
        topic: `application/${app}/device/${eui}/command/down`,
        body: {
          id: confirmedId,
          devEui: eui,
          confirmed: true,
          fPort: 10,
          data: Buffer.from('01000e10', 'hex').toString('base64'),
        },
      },
    ]);
    expect(await row(confirmedId)).toMatchObject({ state: 'sent', applicationId: app });
    expect(await publisher.tick()).toBe(0);
  });

  it('records the txack of a confirmed downlink, then settles it by the ack, once when redelivered', async () => {
    const gw = randomBytes(8).toString('hex');
    await send('txack', {
      downlinkId: 7,
      deviceInfo: info(),
      queueItemId: confirmedId,
      fCntDown: 5,
      gatewayId: gw,
    });
    expect(await row(confirmedId)).toMatchObject({ state: 'sent', gatewayId: gw, fCntDown: 5 });
    expect((await row(confirmedId)).transmittedAt).not.toBeNull();
    const dead = worker.stats.deadLetters;
    const ack = { deviceInfo: info(), queueItemId: confirmedId, acknowledged: true, fCntDown: 5 };
    await send('ack', ack);
    await send('ack', ack);
    expect(await row(confirmedId)).toMatchObject({ state: 'acknowledged', reason: null });
    expect(worker.stats.deadLetters).toBe(dead);
  });

  it('settles an unconfirmed downlink by its txack, and fails a confirmed one its ack denies', async () => {
    const plain = (await queue({ fPort: 3, payload: { hex: '04FF' } })).body.id;
    const denied = (await queue({ fPort: 3, confirmed: true, payload: { command: { name: 'reboot' } } })).body
      .id;
    expect(await publisher.tick()).toBe(2);
    await send('txack', { deviceInfo: info(), queueItemId: plain });
    expect(await row(plain)).toMatchObject({ state: 'acknowledged', payloadHex: '04ff' });
    // protobuf-JSON leaves `acknowledged: false` out.
    await send('ack', { deviceInfo: info(), queueItemId: denied });
    expect(await row(denied)).toMatchObject({ state: 'failed' });
  });

  it('sends dead letters for malformed and unknown acks, and keeps going', async () => {
    const bad = [
      '{not json',
      { deviceInfo: info(), queueItemId: "x'; DROP TABLE dev_downlinks;--", acknowledged: true },
      { deviceInfo: info(), queueItemId: confirmedId, acknowledged: 'yes' },
      { deviceInfo: info(), queueItemId: confirmedId, fCntDown: -1 },
      { deviceInfo: info(otherEui), queueItemId: confirmedId, acknowledged: true },
    ];
    for (const body of bad) {
      await send('ack', body);
      expect((await lastDeadLetter()).reason).toMatch(/unparseable|topic-mismatch/);
    }
    await send('ack', { deviceInfo: info(), queueItemId: randomUUID(), acknowledged: true });
    expect(await lastDeadLetter()).toMatchObject({ reason: 'unknown-downlink' });
    // Another device's ack of our downlink's id does not settle it.
    await send('ack', { deviceInfo: info(otherEui), queueItemId: confirmedId }, otherEui);
    expect(await lastDeadLetter()).toMatchObject({ reason: 'unknown-downlink' });
    expect(await row(confirmedId)).toMatchObject({ state: 'acknowledged' });
  });

  it('sends what was queued while no publisher ran, after a restart, once', async () => {
    await publisher.stop();
    const id = (await queue({ fPort: 4, payload: { hex: 'aa' } })).body.id;
    publisher = new DownlinkPublisher({
      db: t.db,
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      clientId: `test-pub-${randomBytes(4).toString('hex')}`,
      everyMs: 3_600_000,
    });
    await publisher.start();
    expect(await publisher.tick()).toBe(1);
    await until(() => received.some((m) => m.body.id === id));
    expect(await publisher.tick()).toBe(0);
    expect(received.filter((m) => m.body.id === id)).toHaveLength(1);
  });

  it('expires what is not settled in time', async () => {
    const id = (await queue({ fPort: 5, confirmed: true, ttlS: 60, payload: { hex: 'bb' } })).body.id;
    expect(await publisher.tick()).toBe(1);
    const later = new DownlinkPublisher({
      db: t.db,
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      clientId: 'unused',
      clock: () => new Date(Date.now() + 120_000),
    });
    await later.tick();
    expect(await row(id)).toMatchObject({ state: 'expired', reason: 'no acknowledgement in time' });
    // The queued 242-byte downlink of a device never heard from expires with the default day, not now.
    const [{ state }] = await t.db.rows<{ state: string }>(
      sql`SELECT state FROM dev_downlinks WHERE device_id = ${otherId}`,
    );
    expect(state).toBe('queued');
    // An acknowledgement that comes late is still ChirpStack's word.
    await send('ack', { deviceInfo: info(), queueItemId: id, acknowledged: true });
    expect(await row(id)).toMatchObject({ state: 'acknowledged' });
  });
});
