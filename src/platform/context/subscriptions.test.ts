import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Broker, startBroker } from '../../core/mqtt/broker.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { NotificationDispatcher, notificationDispatcher } from './dispatch.ts';
import { khonKaen, sdmLink } from './fixtures.ts';
import { maxAttempts, Notifier, Periodic } from './notify.ts';
import { contextService } from './service.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: notification bodies are arbitrary JSON
  body: any;
}

let t: TestApp;
let staff: Record<string, string>;
let listener: Server;
let listenerUrl: string;
let received: Received[] = [];
let broker: Broker | null = null;
let mqttUrl: string;
const env = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const log = pino({ level: 'silent' });
let n = 0;

beforeAll(async () => {
  t = await testApp({ seed: true });
  staff = { ...(await t.tokenFor('officer')), link: env };
  listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {}
      received.push({ path, headers: req.headers, body });
      res.statusCode = path.startsWith('/fail') ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  listenerUrl = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
  if (process.env.MQTT_URL) mqttUrl = process.env.MQTT_URL;
  else {
    broker = await startBroker({ port: 0, portExplicit: false, host: '127.0.0.1', log });
    mqttUrl = broker.url;
  }
});
afterAll(async () => {
  await t?.close();
  await broker?.close();
  await new Promise((r) => listener?.close(r));
});
beforeEach(async () => {
  // Each test starts with an empty queue and no subscriptions left over.
  await drain();
  await t.db.orm.execute(sql`DELETE FROM ctx_subscriptions`);
  await t.db.orm.execute(sql`DELETE FROM ctx_notifications`);
  received = [];
});

const drain = () => notificationDispatcher(t.db)!.drain();

const req = (method: string, url: string, payload?: unknown, headers: Record<string, string> = staff) =>
  t.json({
    method: method as 'GET',
    url: `${base}${url}`,
    headers:
      payload === undefined || typeof payload === 'object'
        ? headers
        : { ...headers, 'content-type': 'application/json' },
    ...(payload === undefined
      ? {}
      : { payload: typeof payload === 'object' ? (payload as object) : JSON.stringify(payload) }),
  });

function subscription(extra: Record<string, unknown> = {}, notification: Record<string, unknown> = {}) {
  return {
    id: `urn:ngsi-ld:Subscription:test-${++n}`,
    type: 'Subscription',
    entities: [{ type: 'AirQualityObserved' }],
    ...extra,
    // The table of bad bodies is built before the listener runs: it gets a valid (unused) endpoint.
    notification: {
      endpoint: { uri: `${listenerUrl ?? 'http://127.0.0.1:9'}/hook`, accept: 'application/json' },
      ...notification,
    },
  };
}

async function subscribe(body: Record<string, unknown>, headers = staff): Promise<string> {
  const res = await req('POST', '/subscriptions', body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return body.id as string;
}

async function newSensor(lon = 102.83, lat = 16.43, headers = staff): Promise<string> {
  const e = khonKaen('AirQualityObserved', 100 + ++n, lon, lat);
  const res = await req('POST', '/entities', e, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return e.id as string;
}

async function setAttr(id: string, attr: string, value: unknown, headers = staff) {
  const res = await req('PATCH', `/entities/${id}/attrs`, { [attr]: { type: 'Property', value } }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(204);
}

const at = (path: string) => received.filter((r) => r.path === path);

describe('subscriptions CRUD', () => {
  it('creates, reads, lists, updates and deletes a subscription, audited', async () => {
    const body = subscription(
      { watchedAttributes: ['no2'], q: 'no2>100', throttling: 5 },
      { format: 'keyValues' },
    );
    const res = await req('POST', '/subscriptions', body);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(body.id)}`);

    const got = await req('GET', `/subscriptions/${body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: body.id,
      type: 'Subscription',
      entities: [{ type: 'AirQualityObserved' }],
      watchedAttributes: ['no2'],
      q: 'no2>100',
      throttling: 5,
      isActive: true,
      status: 'active',
      notification: { format: 'keyValues', status: 'ok', timesSent: 0, timesFailed: 0 },
    });
    expect(got.headers.link).toContain('dataModel.Environment');

    const list = await req('GET', '/subscriptions?count=true&limit=10');
    expect(list.status).toBe(200);
    expect(list.headers['ngsild-results-count']).toBe('1');
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([body.id]);

    const patched = await req('PATCH', `/subscriptions/${body.id}`, {
      q: 'no2>200',
      notification: { attributes: ['no2'] },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    const after = await req('GET', `/subscriptions/${body.id}?options=sysAttrs`);
    expect(after.body.q).toBe('no2>200');
    expect(after.body.notification).toMatchObject({
      attributes: ['no2'],
      format: 'keyValues',
      endpoint: { uri: `${listenerUrl}/hook` },
    });
    expect(after.body.createdAt).toMatch(/Z$/);

    expect((await req('DELETE', `/subscriptions/${body.id}`)).status).toBe(204);
    const gone = await req('GET', `/subscriptions/${body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    expect((await req('DELETE', `/subscriptions/${body.id}`)).status).toBe(404);
    expect((await req('PATCH', `/subscriptions/${body.id}`, { q: 'a==1' })).status).toBe(404);

    const audited = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${body.id} ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual([
      'ngsi-ld.subscription.create',
      'ngsi-ld.subscription.update',
      'ngsi-ld.subscription.delete',
    ]);
  });

  it('generates an id, refuses a duplicate and keeps tenants apart', async () => {
    const { id: _, ...noId } = subscription();
    const res = await req('POST', '/subscriptions', noId);
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/^\/ngsi-ld\/v1\/subscriptions\/urn%3Angsi-ld%3ASubscription%3A/);

    const body = subscription();
    await subscribe(body);
    const dup = await req('POST', '/subscriptions', body);
    expect(dup.status).toBe(409);
    expect(dup.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');

    const other = { ...staff, 'ngsild-tenant': 'udon' };
    expect((await req('GET', `/subscriptions/${body.id}`, undefined, other)).status).toBe(404);
    expect((await req('GET', '/subscriptions', undefined, other)).body).toEqual([]);
    // The same id in another tenant is another subscription.
    expect((await req('POST', '/subscriptions', body, other)).status).toBe(201);
  });

  it('is for staff only', async () => {
    const anon = { link: env };
    expect((await req('POST', '/subscriptions', subscription(), anon)).status).toBe(401);
    expect((await req('GET', '/subscriptions', undefined, anon)).status).toBe(401);
    const citizen = await t.signIn('citizen');
    expect((await req('GET', '/subscriptions', undefined, citizen)).status).toBe(403);
    expect((await req('POST', '/subscriptions', subscription(), citizen)).status).toBe(403);
  });

  const bad: [string, unknown, string][] = [
    ['an array', [subscription()], 'BadRequestData'],
    ['a string', 'subscription', 'BadRequestData'],
    ['a wrong type', { ...subscription(), type: 'Entity' }, 'BadRequestData'],
    ['an id that is not a URI', { ...subscription(), id: 'not a uri' }, 'BadRequestData'],
    ['no entities nor watchedAttributes', { ...subscription(), entities: undefined }, 'BadRequestData'],
    ['empty entities', subscription({ entities: [] }), 'BadRequestData'],
    ['an entity selector without type', subscription({ entities: [{ id: 'urn:a:b' }] }), 'BadRequestData'],
    [
      'a selector id that is not a URI',
      subscription({ entities: [{ type: 'T', id: 'x y' }] }),
      'BadRequestData',
    ],
    ['a bad type expression', subscription({ entities: [{ type: '(A;B' }] }), 'BadRequestData'],
    ['a bad idPattern', subscription({ entities: [{ type: 'T', idPattern: '([a-z' }] }), 'BadRequestData'],
    ['a q syntax error', subscription({ q: 'no2>>' }), 'BadRequestData'],
    ['an injection in q', subscription({ q: "no2==1'; DROP TABLE ctx_entities; --" }), 'BadRequestData'],
    ['q not a string', subscription({ q: 5 }), 'BadRequestData'],
    ['watchedAttributes not a list', subscription({ watchedAttributes: 'no2' }), 'BadRequestData'],
    [
      '101 watchedAttributes',
      subscription({ watchedAttributes: Array.from({ length: 101 }, (_, i) => `a${i}`) }),
      'BadRequestData',
    ],
    ['a bad attribute name', subscription({ watchedAttributes: ['a b'] }), 'BadRequestData'],
    [
      'an invalid geoQ geometry',
      subscription({
        geoQ: {
          georel: 'within',
          geometry: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        },
      }),
      'BadRequestData',
    ],
    [
      'a geoQ without georel',
      subscription({ geoQ: { geometry: 'Point', coordinates: [102.8, 16.4] } }),
      'BadRequestData',
    ],
    ['a negative throttling', subscription({ throttling: -1 }), 'BadRequestData'],
    ['a string throttling', subscription({ throttling: '5' }), 'BadRequestData'],
    ['expiresAt in the past', subscription({ expiresAt: '2020-01-01T00:00:00Z' }), 'BadRequestData'],
    ['expiresAt not a date', subscription({ expiresAt: 'tomorrow' }), 'BadRequestData'],
    ['isActive not a boolean', subscription({ isActive: 'yes' }), 'BadRequestData'],
    ['an unknown member', subscription({ watchedAtributes: ['no2'] }), 'BadRequestData'],
    ['no notification', { ...subscription(), notification: undefined }, 'BadRequestData'],
    ['no endpoint', subscription({}, { endpoint: undefined }), 'BadRequestData'],
    ['an ftp endpoint', subscription({}, { endpoint: { uri: 'ftp://example.org/x' } }), 'BadRequestData'],
    [
      'an MQTT endpoint without topic',
      subscription({}, { endpoint: { uri: 'mqtt://127.0.0.1:1883' } }),
      'BadRequestData',
    ],
    [
      'an MQTT wildcard topic',
      subscription({}, { endpoint: { uri: 'mqtt://127.0.0.1/a/%23' } }),
      'BadRequestData',
    ],
    ['an unknown format', subscription({}, { format: 'xml' }), 'BadRequestData'],
    [
      'an unknown accept',
      subscription({}, { endpoint: { uri: 'http://x.org/', accept: 'text/html' } }),
      'BadRequestData',
    ],
    [
      'a receiverInfo header with a newline',
      subscription(
        {},
        { endpoint: { uri: 'http://x.org/', receiverInfo: [{ key: 'X-A', value: 'a\r\nB: c' }] } },
      ),
      'BadRequestData',
    ],
    [
      'an MQTT-QoS of 3',
      subscription({}, { endpoint: { uri: 'mqtt://h/t', notifierInfo: [{ key: 'MQTT-QoS', value: '3' }] } }),
      'BadRequestData',
    ],
    ['a timeInterval below a second', subscription({ timeInterval: 0.5 }), 'BadRequestData'],
    [
      'timeInterval with watchedAttributes',
      subscription({ timeInterval: 60, watchedAttributes: ['no2'] }),
      'BadRequestData',
    ],
    ['timeInterval with throttling', subscription({ timeInterval: 60, throttling: 5 }), 'BadRequestData'],
    ['csf', subscription({ csf: 'a==b' }), 'OperationNotSupported'],
    ['showChanges that is not a boolean', subscription({}, { showChanges: 'yes' }), 'BadRequestData'],
    [
      'an unsupported trigger',
      subscription({ notificationTrigger: ['attributeRenamed'] }),
      'OperationNotSupported',
    ],
    [
      'a receiverInfo header the broker sets',
      subscription(
        {},
        { endpoint: { uri: 'http://x.org/', receiverInfo: [{ key: 'Content-Type', value: 'text/plain' }] } },
      ),
      'BadRequestData',
    ],
    ['an unknown trigger', subscription({ notificationTrigger: ['sometimes'] }), 'OperationNotSupported'],
    ['an empty trigger list', subscription({ notificationTrigger: [] }), 'BadRequestData'],
  ];
  it('accepts the body the bad cases are made from', async () => {
    const base = subscription();
    base.notification.endpoint.uri = 'http://127.0.0.1:9/hook';
    expect((await req('POST', '/subscriptions', base)).status).toBe(201);
  });

  it.each(bad)('refuses %s', async (_, body, problem) => {
    const res = await req('POST', '/subscriptions', body);
    expect(res.body.type, JSON.stringify(res.body)).toBe(`https://uri.etsi.org/ngsi-ld/errors/${problem}`);
    expect(res.status).toBe(problem === 'OperationNotSupported' ? 422 : 400);
    const [{ count }] = await t.db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM ctx_subscriptions`,
    );
    expect(count).toBe(0);
  });

  it('refuses a body above the size limit', async () => {
    const res = await req('POST', '/subscriptions', subscription({ description: 'x'.repeat(2_000_000) }));
    expect(res.status).toBe(413);
    expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/InvalidRequest');
  });

  it('refuses malformed JSON and a bad PATCH', async () => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/subscriptions`,
      headers: { ...staff, 'content-type': 'application/json' },
      payload: '{"type": "Subscription",',
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/InvalidRequest');
    const body = subscription();
    await subscribe(body);
    for (const patch of [
      {},
      { q: '((' },
      { throttling: 0 },
      { id: 'urn:ngsi-ld:Subscription:other' },
      { notification: { format: 'x' } },
    ]) {
      const r = await req('PATCH', `/subscriptions/${body.id}`, patch);
      expect(r.status, JSON.stringify(patch)).toBe(400);
    }
    expect((await req('GET', `/subscriptions/${body.id}`)).body.q).toBeUndefined();
  });
});

describe('notifications', () => {
  it('sends a matching change to an HTTP endpoint, filtered by watchedAttributes and q', async () => {
    const sub = await subscribe(
      subscription(
        { watchedAttributes: ['no2'], q: 'no2>100' },
        { format: 'keyValues', attributes: ['no2'], endpoint: { uri: `${listenerUrl}/http` } },
      ),
    );
    const id = await newSensor(); // no2 is 69: q does not match
    await setAttr(id, 'no2', 120); // matches
    await setAttr(id, 'temperature', 30); // q matches, but temperature is not watched
    await setAttr(id, 'no2', 50); // q does not match
    expect(await drain()).toBeGreaterThan(0);
    const got = at('/http');
    expect(got).toHaveLength(1);
    const [{ body, headers }] = got;
    expect(headers['content-type']).toBe('application/json');
    expect(headers.link).toContain('dataModel.Environment');
    expect(body).toMatchObject({ type: 'Notification', subscriptionId: sub });
    expect(body.id).toMatch(/^urn:ngsi-ld:Notification:/);
    expect(Number.isNaN(Date.parse(body.notifiedAt))).toBe(false);
    expect(body.data).toEqual([{ id, type: 'AirQualityObserved', no2: 120 }]);

    const s = (await req('GET', `/subscriptions/${sub}`)).body;
    expect(s.notification).toMatchObject({ status: 'ok', timesSent: 1, timesFailed: 0 });
    expect(s.notification.lastSuccess).toMatch(/Z$/);
    expect(s.notification.lastNotification).toBe(s.notification.lastSuccess);
    expect(s.notification.lastFailure).toBeUndefined();
  });

  it('notifies entity creation, by id pattern, in normalized JSON-LD with the tenant', async () => {
    const udon = { ...staff, 'ngsild-tenant': 'udon' };
    const sub = await subscribe(
      subscription(
        { entities: [{ type: 'AirQualityObserved', idPattern: '^urn:ngsi-ld:AirQualityObserved:kk-1' }] },
        {
          endpoint: {
            uri: `${listenerUrl}/ld`,
            accept: 'application/ld+json',
            receiverInfo: [{ key: 'X-Token', value: 'abc' }],
          },
        },
      ),
      udon,
    );
    const id = await newSensor(102.83, 16.43, udon);
    await newSensor(); // another tenant: not notified
    await drain();
    const got = at('/ld');
    expect(got).toHaveLength(1);
    expect(got[0].headers['content-type']).toBe('application/ld+json');
    expect(got[0].headers['ngsild-tenant']).toBe('udon');
    expect(got[0].headers['x-token']).toBe('abc');
    expect(got[0].body['@context']).toEqual(expect.stringContaining('dataModel.Environment'));
    expect(got[0].body.subscriptionId).toBe(sub);
    expect(got[0].body.data[0].id).toBe(id);
    expect(got[0].body.data[0].no2).toMatchObject({ type: 'Property', value: 69 });
  });

  it('publishes a notification to an MQTT topic', async () => {
    const topic = `mueang/test/ngsi/${Math.random().toString(16).slice(2)}`;
    const sub = await subscribe(
      subscription({ watchedAttributes: ['no2'] }, { endpoint: { uri: `${mqttUrl}/${topic}` } }),
    );
    const client = await mqtt.connectAsync(mqttUrl);
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the message is arbitrary JSON
      const message = new Promise<any>((resolve) =>
        client.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()))),
      );
      await client.subscribeAsync(topic);
      const id = await newSensor();
      await drain();
      const m = await message;
      expect(m.metadata['content-type']).toBe('application/json');
      expect(m.body).toMatchObject({ type: 'Notification', subscriptionId: sub });
      expect(m.body.data[0]).toMatchObject({
        id,
        type: 'AirQualityObserved',
        no2: { type: 'Property', value: 69 },
      });
      expect((await req('GET', `/subscriptions/${sub}`)).body.notification.timesSent).toBe(1);
    } finally {
      await client.endAsync();
    }
  });

  it('sends a batch’s matching entities in notifications of at most 100 entities', async () => {
    await subscribe(
      subscription(
        { entities: [{ type: 'AirQualityObserved', idPattern: ':bulk-' }] },
        { format: 'keyValues', attributes: ['no2'], endpoint: { uri: `${listenerUrl}/bulk` } },
      ),
    );
    const entities = Array.from({ length: 250 }, (_, i) => ({
      id: `urn:ngsi-ld:AirQualityObserved:bulk-${i}`,
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: i },
    }));
    entities.push({ id: 'not a uri', type: 'AirQualityObserved', no2: { type: 'Property', value: 0 } });
    const res = await req('POST', '/entityOperations/upsert', entities);
    expect(res.status).toBe(207);
    await drain();
    const got = at('/bulk');
    expect(got.map((r) => r.body.data.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    const ids = new Set(got.flatMap((r) => r.body.data.map((e: { id: string }) => e.id)));
    expect(ids.size).toBe(250);
    expect(new Set(got.map((r) => r.body.id)).size).toBe(3);
  });

  it('notifies attributeDeleted with the NGSI-LD Null, and showChanges with the previous value', async () => {
    await subscribe(
      subscription(
        { notificationTrigger: ['attributeDeleted'], watchedAttributes: ['no2'] },
        { attributes: ['no2'], endpoint: { uri: `${listenerUrl}/attr-deleted` } },
      ),
    );
    await subscribe(
      subscription(
        { watchedAttributes: ['no2'] },
        {
          attributes: ['no2'],
          showChanges: true,
          sysAttrs: true,
          endpoint: { uri: `${listenerUrl}/changes` },
        },
      ),
    );
    const id = await newSensor();
    await setAttr(id, 'no2', 150);
    await setAttr(id, 'no2', 150); // the same value again: notified, with no previous value to show
    expect((await req('DELETE', `/entities/${id}/attrs/no2`)).status).toBe(204);
    await drain();
    const deleted = at('/attr-deleted');
    expect(deleted).toHaveLength(1);
    const no2 = deleted[0].body.data[0].no2;
    expect(no2).toMatchObject({ type: 'Property', value: 'urn:ngsi-ld:null' });
    expect(Number.isNaN(Date.parse(no2.deletedAt))).toBe(false);
    const changes = at('/changes').map((r) => r.body.data[0].no2);
    expect(changes).toHaveLength(3); // created, updated twice; the deletion is not a default trigger
    expect(changes[0].previousValue).toBeUndefined();
    expect(changes[1]).toMatchObject({ type: 'Property', value: 150, previousValue: 69 });
    expect(changes[1].modifiedAt).toMatch(/Z$/); // sysAttrs
    expect(changes[2].value).toBe(150);
    expect(changes[2].previousValue).toBeUndefined();
  });

  it('notifies a deletion to entityDeleted subscriptions whose conditions the entity met', async () => {
    await subscribe(
      subscription(
        { notificationTrigger: ['entityDeleted'], q: 'no2>100' },
        { format: 'keyValues', endpoint: { uri: `${listenerUrl}/deleted` } },
      ),
    );
    await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/default` } }));
    const high = await newSensor();
    const low = await newSensor();
    await setAttr(high, 'no2', 150); // an update: not an entityDeleted trigger
    expect((await req('DELETE', `/entities/${high}`)).status).toBe(204);
    expect((await req('DELETE', `/entities/${low}`)).status).toBe(204); // q did not match
    await drain();
    const got = at('/deleted');
    expect(got).toHaveLength(1);
    expect(got[0].body.data).toHaveLength(1);
    expect(got[0].body.data[0]).toMatchObject({ id: high, type: 'AirQualityObserved' });
    expect(got[0].body.data[0].no2).toBeUndefined();
    expect(Number.isNaN(Date.parse(got[0].body.data[0].deletedAt))).toBe(false);
    // The default triggers (attributeCreated, attributeUpdated) do not fire on deletion.
    expect(at('/default').map((r) => r.body.data[0].id)).toEqual([high, low, high]);
  });

  it('sends periodic notifications (timeInterval) of the entities that match then, not on changes', async () => {
    const a = await newSensor();
    const b = await newSensor();
    await setAttr(b, 'no2', 500);
    const sub = await subscribe(
      subscription(
        {
          entities: [{ type: 'AirQualityObserved', idPattern: `^(${a}|${b})$` }],
          q: 'no2<100',
          timeInterval: 3600,
        },
        { format: 'keyValues', attributes: ['no2'], endpoint: { uri: `${listenerUrl}/periodic` } },
      ),
    );
    const periodic = new Periodic(t.db, contextService(t.db).repo, log);
    await periodic.tick(); // the platform's own timer may have taken this turn already: either queues it once
    await setAttr(a, 'no2', 42); // a change does not notify a periodic subscription
    expect(await periodic.tick()).toBe(0); // the hour has not passed
    await drain();
    const got = at('/periodic');
    expect(got).toHaveLength(1);
    expect(got[0].body.subscriptionId).toBe(sub);
    expect(got[0].body.data).toEqual([{ id: a, type: 'AirQualityObserved', no2: 69 }]);
    // When the period has passed, the entities are sent again as they are now.
    await t.db.orm.execute(
      sql`UPDATE ctx_subscriptions SET last_queued_at = now() - interval '2 hours' WHERE id = ${sub}`,
    );
    expect(await periodic.tick()).toBe(1);
    await drain();
    expect(at('/periodic').map((r) => r.body.data)).toEqual([
      [{ id: a, type: 'AirQualityObserved', no2: 69 }],
      [{ id: a, type: 'AirQualityObserved', no2: 42 }],
    ]);
  });

  it('matches geoQ', async () => {
    await subscribe(
      subscription(
        { geoQ: { georel: 'near;maxDistance==1000', geometry: 'Point', coordinates: [102.83, 16.43] } },
        { endpoint: { uri: `${listenerUrl}/geo` } },
      ),
    );
    const near = await newSensor(102.831, 16.431);
    await newSensor(100.5, 13.75); // Bangkok
    await drain();
    expect(at('/geo').map((r) => r.body.data[0].id)).toEqual([near]);
  });

  it('throttles: a second change inside the throttling period is not notified', async () => {
    const sub = await subscribe(
      subscription(
        { watchedAttributes: ['no2'], throttling: 3600 },
        { endpoint: { uri: `${listenerUrl}/slow` } },
      ),
    );
    const id = await newSensor();
    await setAttr(id, 'no2', 70);
    await setAttr(id, 'no2', 71);
    await drain();
    expect(at('/slow')).toHaveLength(1);
    expect(at('/slow')[0].body.data[0].no2.value).toBe(69);
    expect((await req('GET', `/subscriptions/${sub}`)).body.notification.timesSent).toBe(1);
  });

  it('does not notify for paused or expired subscriptions, nor send what was queued before the pause', async () => {
    const paused = await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/paused` } }));
    const expired = await subscribe(
      subscription({ expiresAt: '2999-01-01T00:00:00Z' }, { endpoint: { uri: `${listenerUrl}/expired` } }),
    );
    const id = await newSensor(); // queued for both
    expect((await req('PATCH', `/subscriptions/${paused}`, { isActive: false })).status).toBe(204);
    await t.db.orm.execute(
      sql`UPDATE ctx_subscriptions SET expires_at = now() - interval '1 minute' WHERE id = ${expired}`,
    );
    await setAttr(id, 'no2', 99);
    await drain();
    expect(at('/paused')).toEqual([]);
    expect(at('/expired')).toEqual([]);
    expect((await req('GET', `/subscriptions/${paused}`)).body).toMatchObject({
      status: 'paused',
      isActive: false,
    });
    expect((await req('GET', `/subscriptions/${expired}`)).body.status).toBe('expired');

    expect((await req('PATCH', `/subscriptions/${paused}`, { isActive: true })).status).toBe(204);
    await setAttr(id, 'no2', 98);
    await drain();
    expect(at('/paused')).toHaveLength(1);
  });

  it('pauses a subscription that can no longer be compiled, with the reason, and the tenant’s writes go on', async () => {
    const broken = await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/broken` } }));
    const healthy = await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/healthy` } }));
    // As if its @context or its q could no longer be read by this version of the broker.
    await t.db.orm.execute(
      sql`UPDATE ctx_subscriptions SET body = jsonb_set(body, '{q}', '"no2==("'), modified_at = now()
        WHERE id = ${broken}`,
    );
    const id = await newSensor();
    await setAttr(id, 'no2', 97);
    await drain();
    expect(at('/broken')).toEqual([]);
    expect(at('/healthy')).toHaveLength(2);
    const s = (await req('GET', `/subscriptions/${broken}`)).body;
    expect(s).toMatchObject({ status: 'paused', isActive: false });
    expect(s.notification.lastFailure).toMatch(/Z$/);
    // The reason is kept for operators (and logged); the Subscription data type has no member for it.
    const [row] = await t.db.rows<{ reason: string }>(
      sql`SELECT last_failure_reason AS reason FROM ctx_subscriptions WHERE id = ${broken}`,
    );
    expect(row.reason).toMatch(/^paused: /);
    expect((await req('GET', `/subscriptions/${healthy}`)).body.status).toBe('active');
  });

  it('records a failing endpoint (timesFailed, lastFailure) and leaves the notification for a retry', async () => {
    const failing = await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/fail` } }));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const unreachable = await subscribe(
      subscription({}, { endpoint: { uri: `http://127.0.0.1:${port}/nobody`, timeout: 2000 } }),
    );
    await newSensor();
    await drain();
    expect(at('/fail')).toHaveLength(1);
    for (const sub of [failing, unreachable]) {
      const s = (await req('GET', `/subscriptions/${sub}`)).body;
      expect(s.notification).toMatchObject({ status: 'failed', timesSent: 1, timesFailed: 1 });
      expect(s.notification.lastFailure).toMatch(/Z$/);
      expect(s.notification.lastSuccess).toBeUndefined();
    }
    const pending = await t.db.rows<{ lastError: string }>(
      sql`SELECT last_error AS "lastError" FROM ctx_notifications`,
    );
    expect(pending).toHaveLength(2);
    expect(pending.map((p) => p.lastError).join(' ')).toContain('500');
    expect(pending.map((p) => p.lastError).join(' ')).toContain('ECONNREFUSED');
    // The last allowed attempt fails too: the notification is given up (no more retries), counted once more.
    await t.db.orm.execute(sql`UPDATE ctx_notifications SET attempts = ${maxAttempts - 1}, available_at = now()
      WHERE subscription_id = ${failing}`);
    await drain();
    expect(at('/fail')).toHaveLength(2);
    expect((await req('GET', `/subscriptions/${failing}`)).body.notification.timesFailed).toBe(2);
    const still = await t.db.rows<{ sub: string }>(sql`SELECT subscription_id AS sub FROM ctx_notifications`);
    expect(still.map((r) => r.sub)).toEqual([unreachable]);
    // Deleting the subscription drops what is still queued for it.
    await req('DELETE', `/subscriptions/${failing}`);
    await req('DELETE', `/subscriptions/${unreachable}`);
    await t.db.orm.execute(sql`UPDATE ctx_notifications SET available_at = now()`);
    await drain();
    const left = await t.db.rows(sql`SELECT id FROM ctx_notifications`);
    expect(left).toEqual([]);
  });

  it('keeps a committed change’s notification in the queue until a new process sends it', async () => {
    const sub = await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/restart` } }));
    const id = await newSensor();
    const queued = await t.db.rows<{ sub: string }>(
      sql`SELECT subscription_id AS sub FROM ctx_notifications`,
    );
    expect(queued.map((q) => q.sub)).toEqual([sub]);
    // Another dispatcher on the same database (as after a restart) delivers it.
    const notifier = new Notifier(contextService(t.db).repo, log);
    const dispatcher = new NotificationDispatcher(t.db, (q) => notifier.deliver(q), log);
    expect(await dispatcher.drain()).toBe(1);
    await notifier.close();
    expect(at('/restart').map((r) => r.body.data[0].id)).toEqual([id]);
  });

  it('does not notify for a change whose transaction rolls back', async () => {
    await subscribe(subscription({}, { endpoint: { uri: `${listenerUrl}/rollback` } }));
    const service = contextService(t.db);
    const e = khonKaen('AirQualityObserved', 900);
    await expect(
      t.db.transaction(async (tx) => {
        await service.publish(tx, e, { context: env.slice(1, env.indexOf('>')) });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await t.db.transaction((tx) => service.publish(tx, e, { context: env.slice(1, env.indexOf('>')) }));
    await drain();
    expect(at('/rollback')).toHaveLength(1);
  });
});
