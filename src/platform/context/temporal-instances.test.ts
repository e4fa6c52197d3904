import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';

let t: TestApp;
let staff: Record<string, string>;
const link = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const at = (hm: string) => `2026-02-01T${hm}:00Z`;
const us = (hm: string) => `2026-02-01T${hm}:00.000000Z`;

const get = (url: string, headers: Record<string, string> = { link }) =>
  t.json({ method: 'GET', url: `${base}${url}`, headers });
const send = (method: string, url: string, payload?: unknown, headers = staff) =>
  t.json({
    method,
    url: `${base}${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const actions = async (id: string) =>
  (
    await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${id} AND action LIKE 'ngsi-ld.temporal.%' ORDER BY id`,
    )
  ).map((r) => r.action);

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link };
});
afterAll(() => t?.close());

describe('POST /temporal/entities', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:temporal-create-1';
  const body = {
    id,
    type: 'AirQualityObserved',
    no2: [
      { type: 'Property', value: 12, observedAt: at('10:00') },
      { type: 'Property', value: 31, observedAt: at('12:00') },
      { type: 'Property', value: 25, observedAt: at('11:00') },
    ],
    airQualityLevel: { type: 'Property', value: 'good', observedAt: at('10:00') },
  };

  it('creates the entity from the newest instances and keeps every instance in its history', async () => {
    const res = await send('POST', '/temporal/entities', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.location).toBe(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}`);
    const now = await get(`/entities/${id}?options=keyValues`);
    expect(now.body).toMatchObject({ id, type: 'AirQualityObserved', no2: 31, airQualityLevel: 'good' });
    const hist = await get(`/temporal/entities/${id}?options=temporalValues&attrs=no2`);
    expect(hist.body.no2.values).toEqual([
      [12, us('10:00')],
      [25, us('11:00')],
      [31, us('12:00')],
    ]);
    expect(await actions(id)).toEqual(['ngsi-ld.temporal.create']);
  });

  it('adds the instances to an entity that exists, leaving its current state alone', async () => {
    const more = {
      id,
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: 99, observedAt: at('13:00') },
    };
    const res = await send('POST', '/temporal/entities', more);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect((await get(`/entities/${id}?options=keyValues`)).body.no2).toBe(31);
    const hist = await get(`/temporal/entities/${id}?options=temporalValues&attrs=no2`);
    expect(hist.body.no2.values.map((v: unknown[]) => v[0])).toEqual([12, 25, 31, 99]);
    expect(await actions(id)).toEqual(['ngsi-ld.temporal.create', 'ngsi-ld.temporal.append']);
  });

  it('refuses bad bodies, writing nothing, and lets only staff in', async () => {
    const fresh = 'urn:ngsi-ld:AirQualityObserved:temporal-create-bad';
    const bad: unknown[] = [
      { type: 'AirQualityObserved', no2: { type: 'Property', value: 1 } },
      { id: 'not a uri', type: 'AirQualityObserved', no2: { type: 'Property', value: 1 } },
      { id: fresh, no2: { type: 'Property', value: 1 } },
      {
        id: fresh,
        type: 'AirQualityObserved',
        no2: [
          { type: 'Property', value: 1 },
          { value: 2, object: 'urn:a:b' },
        ],
      },
      {
        id: fresh,
        type: 'AirQualityObserved',
        "no2'); DROP TABLE ctx_entities; --": { type: 'Property', value: 1 },
      },
      [body],
    ];
    for (const b of bad)
      expect((await send('POST', '/temporal/entities', b)).status, JSON.stringify(b)).toBe(400);
    expect((await send('POST', '/temporal/entities', body, { link })).status).toBe(401);
    expect(
      (await send('POST', '/temporal/entities', body, { ...(await t.tokenFor('citizen')), link })).status,
    ).toBe(403);
    expect((await get(`/entities/${fresh}`)).status).toBe(404);
  });
});

describe('attribute instances', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:temporal-instance-1';
  const instancesOf = async (query = '') =>
    (await get(`/temporal/entities/${id}?attrs=no2${query}`)).body.no2 as Record<string, unknown>[];

  beforeAll(async () => {
    const res = await send('POST', '/temporal/entities', {
      id,
      type: 'AirQualityObserved',
      no2: [
        { type: 'Property', value: 1, observedAt: at('08:00') },
        { type: 'Property', value: 2, observedAt: at('09:00') },
        { type: 'Property', value: 3, observedAt: at('10:00') },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('gives every instance its own instanceId, a URI', async () => {
    const list = await instancesOf();
    expect(list.map((i) => i.value)).toEqual([1, 2, 3]);
    const ids = list.map((i) => i.instanceId as string);
    for (const i of ids) expect(i).toMatch(/^urn:ngsi-ld:attribute:instance:[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
    // Stable: asked again, the same ids.
    expect((await instancesOf()).map((i) => i.instanceId)).toEqual(ids);
    expect(list[0].createdAt).toBeUndefined();
    expect((await instancesOf('&options=sysAttrs'))[0].createdAt).toMatch(/Z$/);
  });

  it('changes one instance: its value, observedAt and modifiedAt move, its id and createdAt stay', async () => {
    const [first] = await instancesOf('&options=sysAttrs');
    const url = `/temporal/entities/${id}/attrs/no2/${encodeURIComponent(first.instanceId as string)}`;
    const res = await send('PATCH', url, { value: 1.5, observedAt: at('08:30') });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const [changed] = await instancesOf('&options=sysAttrs');
    expect(changed).toMatchObject({ instanceId: first.instanceId, value: 1.5, observedAt: at('08:30') });
    expect(changed.createdAt).toBe(first.createdAt);
    expect(String(changed.modifiedAt) > String(first.modifiedAt)).toBe(true);
    // The current state is the entity's, not the history's.
    expect((await get(`/entities/${id}?options=keyValues`)).body.no2).toBe(3);
    // timeproperty=modifiedAt: only the changed instance was modified after the first's modifiedAt.
    const since = await get(
      `/temporal/entities/${id}?attrs=no2&options=temporalValues&timeproperty=modifiedAt&timerel=after&timeAt=${encodeURIComponent(changed.modifiedAt as string)}`,
    );
    expect(since.body.no2.values).toEqual([[1.5, changed.modifiedAt]]);
    const observed = await get(
      `/temporal/entities/${id}?attrs=no2&options=temporalValues&timerel=after&timeAt=${at('08:15')}`,
    );
    expect(observed.body.no2.values.map((v: unknown[]) => v[0])).toEqual([1.5, 2, 3]);
    expect(await actions(id)).toContain('ngsi-ld.temporal.instance.update');
  });

  it('refuses a change of type, a bad body, an unknown or malformed instanceId and callers who are not staff', async () => {
    const [first] = await instancesOf();
    const url = `/temporal/entities/${id}/attrs/no2/${encodeURIComponent(first.instanceId as string)}`;
    expect((await send('PATCH', url, { type: 'Relationship', object: 'urn:x:1' })).status).toBe(400);
    expect((await send('PATCH', url, { value: null })).status).toBe(400);
    expect((await send('PATCH', url, { observedAt: 'yesterday' })).status).toBe(400);
    expect((await send('PATCH', url, {})).status).toBe(400);
    expect((await send('PATCH', url, { value: 5 }, { link })).status).toBe(401);
    const unknown = `/temporal/entities/${id}/attrs/no2/${encodeURIComponent('urn:ngsi-ld:attribute:instance:00000000-0000-4000-8000-000000000000')}`;
    expect((await send('PATCH', unknown, { value: 5 })).status).toBe(404);
    expect((await send('PATCH', `/temporal/entities/${id}/attrs/no2/nonsense`, { value: 5 })).status).toBe(
      400,
    );
    expect(
      (await send('PATCH', `/temporal/entities/${id}/attrs/no2/urn:x:1' OR '1'='1`, { value: 5 })).status,
    ).toBe(400);
    // A URI, but not one of this broker's instances: it cannot exist.
    expect((await send('PATCH', `/temporal/entities/${id}/attrs/no2/urn:x:1`, { value: 5 })).status).toBe(
      404,
    );
    // The instance of another attribute is not found through this one.
    expect(
      (
        await send(
          'PATCH',
          `/temporal/entities/${id}/attrs/airQualityLevel/${encodeURIComponent(first.instanceId as string)}`,
          { value: 5 },
        )
      ).status,
    ).toBe(404);
    expect((await instancesOf()).map((i) => i.value)).toEqual([1.5, 2, 3]);
    const bad = await get(
      `/temporal/entities/${id}?timeproperty=updatedAt&timerel=after&timeAt=${at('00:00')}`,
    );
    expect(bad.status).toBe(400);
  });

  it('deletes one instance and then answers 404 for it', async () => {
    const list = await instancesOf();
    const url = `/temporal/entities/${id}/attrs/no2/${encodeURIComponent(list[1].instanceId as string)}`;
    expect((await send('DELETE', url, undefined, { ...(await t.tokenFor('citizen')) })).status).toBe(403);
    expect((await send('DELETE', url)).status).toBe(204);
    expect((await instancesOf()).map((i) => i.value)).toEqual([1.5, 3]);
    expect((await send('DELETE', url)).status).toBe(404);
    expect(await actions(id)).toContain('ngsi-ld.temporal.instance.delete');
  });
});

describe('paging of long histories (Content-Range)', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:temporal-paged-1';
  const minute = (n: number) => new Date(Date.UTC(2026, 1, 2) + n * 60_000).toISOString();

  beforeAll(async () => {
    const instances = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        type: 'Property',
        value: from + i,
        observedAt: minute(from + i),
      }));
    const res = await send('POST', '/temporal/entities', {
      id,
      type: 'AirQualityObserved',
      no2: instances(0, 10_000),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const more = await send('POST', `/temporal/entities/${id}/attrs`, { no2: instances(10_000, 5) });
    expect(more.status, JSON.stringify(more.body)).toBe(204);
  }, 120_000);

  it('answers 206 with the range of what it gives when more instances match than it gives', async () => {
    const res = await get(`/temporal/entities/${id}?options=temporalValues`);
    expect(res.status).toBe(206);
    const values = res.body.no2.values as [number, string][];
    expect(values).toHaveLength(10_000);
    expect(values[0][0]).toBe(0);
    const last = values[values.length - 1][1];
    expect(res.headers['content-range']).toBe(`date-time ${values[0][1]}-${last}/*`);
    // The next page starts where this one ended.
    const next = await get(
      `/temporal/entities/${id}?options=temporalValues&timerel=after&timeAt=${encodeURIComponent(last)}`,
    );
    expect(next.status).toBe(200);
    expect(next.headers['content-range']).toBeUndefined();
    expect((next.body.no2.values as unknown[][]).map((v) => v[0])).toEqual([
      9_999, 10_000, 10_001, 10_002, 10_003, 10_004,
    ]);
  }, 60_000);

  it('with lastN, gives the newest and says so, counting back from the newest', async () => {
    const few = await get(`/temporal/entities/${id}?options=temporalValues&lastN=3`);
    expect(few.status).toBe(200);
    expect((few.body.no2.values as unknown[][]).map((v) => v[0])).toEqual([10_002, 10_003, 10_004]);
    const many = await get(`/temporal/entities/${id}?options=temporalValues&lastN=20000`);
    expect(many.status).toBe(206);
    const values = many.body.no2.values as [number, string][];
    expect(values).toHaveLength(10_000);
    expect(values[values.length - 1][0]).toBe(10_004);
    expect(many.headers['content-range']).toBe(
      `date-time ${values[values.length - 1][1]}-${values[0][1]}/20000`,
    );
  }, 60_000);
});
