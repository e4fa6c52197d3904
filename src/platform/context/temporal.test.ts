import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';
import { periodInterval } from './routes/temporal.ts';

let t: TestApp;
let staff: Record<string, string>;
const link = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const id = 'urn:ngsi-ld:AirQualityObserved:temporal-1';
const other = 'urn:ngsi-ld:AirQualityObserved:temporal-2';
const day = '2026-01-01';
const at = (hm: string) => `${day}T${hm}:00Z`;
const us = (hm: string) => `${day}T${hm}:00.000000Z`;

const get = (url: string, headers: Record<string, string> = { link }) =>
  t.json({ method: 'GET', url: `${base}${url}`, headers });

async function patch(entity: string, attrs: Record<string, unknown>) {
  const res = await t.json({
    method: 'PATCH',
    url: `${base}/entities/${entity}/attrs`,
    headers: staff,
    payload: attrs,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(204);
}

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link };
  for (const e of [id, other]) {
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: staff,
      payload: {
        id: e,
        type: 'AirQualityObserved',
        no2: { type: 'Property', value: 10, observedAt: at('12:00') },
        airQualityLevel: { type: 'Property', value: 'good', observedAt: at('12:00') },
        reporter: {
          type: 'Property',
          value: 7,
          observedAt: at('12:00'),
          'https://mueang.dev/ngsi-ld/personal': { type: 'Property', value: true },
        },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // no2: 10 @12:00, 20 @12:01, 30 @12:05, 30 @12:06; airQualityLevel: good, moderate, good.
  await patch(id, {
    no2: { type: 'Property', value: 20, observedAt: at('12:01') },
    airQualityLevel: { type: 'Property', value: 'moderate', observedAt: at('12:01') },
  });
  await patch(id, {
    no2: { type: 'Property', value: 30, observedAt: at('12:05') },
    airQualityLevel: { type: 'Property', value: 'good', observedAt: at('12:05') },
  });
  await patch(id, { no2: { type: 'Property', value: 30, observedAt: at('12:06') } });
  await patch(other, { no2: { type: 'Property', value: 50, observedAt: at('12:02') } });
});
afterAll(() => t?.close());

const window = `timerel=between&timeAt=${at('12:00')}&endTimeAt=${at('12:12')}`;

describe('temporal aggregation', () => {
  it('aggregates every method per period of aggrPeriodDuration, leaving out empty periods', async () => {
    const res = await get(
      `/temporal/entities/${id}?options=aggregatedValues&attrs=no2&${window}&aggrPeriodDuration=PT4M` +
        '&aggrMethods=totalCount,distinctCount,sum,avg,min,max,stddev,sumsq',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const no2 = res.body.no2;
    const first = [us('12:00'), us('12:04')];
    const second = [us('12:04'), us('12:08')];
    expect(no2.type).toBe('Property');
    expect(no2.totalCount).toEqual([
      [2, ...first],
      [2, ...second],
    ]);
    expect(no2.distinctCount).toEqual([
      [2, ...first],
      [1, ...second],
    ]);
    expect(no2.sum).toEqual([
      [30, ...first],
      [60, ...second],
    ]);
    expect(no2.avg).toEqual([
      [15, ...first],
      [30, ...second],
    ]);
    expect(no2.min).toEqual([
      [10, ...first],
      [30, ...second],
    ]);
    expect(no2.max).toEqual([
      [20, ...first],
      [30, ...second],
    ]);
    expect(no2.sumsq).toEqual([
      [500, ...first],
      [1800, ...second],
    ]);
    expect(no2.stddev[0][0]).toBeCloseTo(Math.sqrt(50), 10);
    expect(no2.stddev[1][0]).toBe(0);
    expect(res.body.airQualityLevel).toBeUndefined();
  });

  it('makes the whole range one period without aggrPeriodDuration, and answers only the methods asked', async () => {
    const res = await get(
      `/temporal/entities/${id}?format=aggregatedValues&attrs=no2,airQualityLevel&${window}&aggrMethods=max,distinctCount,totalCount`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.no2).toEqual({
      type: 'Property',
      max: [[30, us('12:00'), us('12:12')]],
      distinctCount: [[3, us('12:00'), us('12:12')]],
      totalCount: [[4, us('12:00'), us('12:12')]],
    });
    // Strings: min/max compare as text, sum has no numbers to add.
    expect(res.body.airQualityLevel.max).toEqual([['moderate', us('12:00'), us('12:12')]]);
    expect(res.body.airQualityLevel.distinctCount[0][0]).toBe(2);
    const sum = await get(
      `/temporal/entities/${id}?options=aggregatedValues&attrs=airQualityLevel&${window}&aggrMethods=sum`,
    );
    expect(sum.body.airQualityLevel.sum).toEqual([[null, us('12:00'), us('12:12')]]);
  });

  it('honours timerel before and after, and periods of months', async () => {
    const after = await get(
      `/temporal/entities/${id}?options=aggregatedValues&attrs=no2&timerel=after&timeAt=${at('12:05')}&aggrMethods=totalCount,sum`,
    );
    expect(after.body.no2.sum[0][0]).toBe(60);
    expect(after.body.no2.sum[0][1]).toBe(us('12:05'));
    const before = await get(
      `/temporal/entities/${id}?options=aggregatedValues&attrs=no2&timerel=before&timeAt=${at('12:05')}&aggrMethods=sum&aggrPeriodDuration=P1M`,
    );
    expect(before.body.no2.sum).toEqual([[30, us('12:00'), '2026-02-01T12:00:00.000000Z']]);
  });

  it('aggregates each entity of a temporal query', async () => {
    const res = await get(
      `/temporal/entities?type=AirQualityObserved&q=no2>0&attrs=no2&options=aggregatedValues&aggrMethods=sum&${window}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sums = Object.fromEntries(
      res.body.map((e: { id: string; no2: { sum: [number][] } }) => [e.id, e.no2.sum[0][0]]),
    );
    expect(sums).toEqual({ [id]: 90, [other]: 60 });
  });

  it('hides personal attributes from anonymous callers, not from staff', async () => {
    const url = `/temporal/entities/${id}?options=aggregatedValues&aggrMethods=totalCount&${window}`;
    const anonymous = await get(url);
    expect(anonymous.body.reporter).toBeUndefined();
    expect(anonymous.body.no2.totalCount[0][0]).toBe(4);
    const signedIn = await get(url, staff);
    expect(signedIn.body.reporter.totalCount[0][0]).toBe(1);
  });

  it('refuses bad methods, bad durations, injection strings and too many periods', async () => {
    const bad = [
      `aggrMethods=median`,
      `aggrMethods=`,
      `aggrMethods=sum&aggrPeriodDuration=1H`,
      `aggrMethods=sum&aggrPeriodDuration=PT`,
      `aggrMethods=sum&aggrPeriodDuration=P`,
      `aggrMethods=sum&aggrPeriodDuration=${encodeURIComponent("PT1H'::interval); DROP TABLE ctx_entities; --")}`,
      `aggrMethods=${encodeURIComponent("sum'); DELETE FROM ctx_attr_history; --")}`,
    ];
    for (const b of bad) {
      const res = await get(`/temporal/entities/${id}?options=aggregatedValues&${window}&${b}`);
      expect(res.status, b).toBe(400);
      expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    const many = await get(
      `/temporal/entities/${id}?options=aggregatedValues&aggrMethods=sum&timerel=between&timeAt=2000-01-01T00:00:00Z&endTimeAt=2026-01-01T00:00:00Z&aggrPeriodDuration=PT1S`,
    );
    expect(many.status).toBe(403);
    expect(many.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/TooComplexQuery');
    const still = await get(`/entities/${id}?options=keyValues&attrs=no2`);
    expect(still.body.no2).toBe(30);
  });

  it('reads ISO 8601 durations into intervals built from their numbers only', () => {
    expect(periodInterval('PT15M')).toBe('0 years 0 months 0 days 0 hours 15 minutes 0 seconds');
    expect(periodInterval('P1Y2M3W4DT5H6M7.5S')).toBe(
      '1 years 2 months 25 days 5 hours 6 minutes 7.5 seconds',
    );
    expect(periodInterval('P0D')).toBeNull();
    expect(periodInterval(undefined)).toBeNull();
    for (const v of ['P1H', 'T1H', 'P-1D', 'P1.5D', 'P1DT', 'PT9999999S', 'p1d'])
      expect(() => periodInterval(v), v).toThrow();
  });
});

describe('temporal writes', () => {
  const w = 'urn:ngsi-ld:AirQualityObserved:temporal-3';
  const ds = 'urn:ngsi-ld:Dataset:sensor-b';
  const url = `${base}/temporal/entities/${w}`;
  const historyOf = async (attr = 'no2') => {
    const res = await get(`/temporal/entities/${w}?attrs=${attr}&options=temporalValues`);
    expect(res.status).toBe(200);
    return (res.body[attr]?.values ?? []) as [number, string][];
  };
  const post = (payload: object, headers = staff) =>
    t.json({ method: 'POST', url: `${url}/attrs`, headers, payload });

  beforeAll(async () => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: staff,
      payload: {
        id: w,
        type: 'AirQualityObserved',
        no2: { type: 'Property', value: 1, observedAt: at('08:00') },
      },
    });
    expect(res.status).toBe(201);
  });

  it('adds instances to the history without changing the current state, and audits it', async () => {
    const res = await post({
      no2: [
        { type: 'Property', value: 5, observedAt: at('06:00') },
        { type: 'Property', value: 6, observedAt: at('07:00') },
        { type: 'Property', value: 7, observedAt: at('06:30'), datasetId: ds },
      ],
      pm10: { type: 'Property', value: 40, observedAt: at('06:00') },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect((await historyOf()).map((v) => v[0]).sort()).toEqual([1, 5, 6, 7]);
    expect((await historyOf('pm10')).map((v) => v[0])).toEqual([40]);
    const now = await get(`/entities/${w}?options=keyValues`);
    expect(now.body).toEqual({ id: w, type: 'AirQualityObserved', no2: 1 });
    const sum = await get(
      `/temporal/entities/${w}?attrs=no2&options=aggregatedValues&aggrMethods=sum&timerel=before&timeAt=${at('07:30')}`,
    );
    expect(sum.body.no2.sum[0][0]).toBe(18);
    const audits = await t.db.rows<{ action: string; detail: { instances: number } }>(
      sql`SELECT action, detail FROM core_audit_log WHERE resource_id = ${w} AND action LIKE 'ngsi-ld.temporal.%'`,
    );
    expect(audits).toEqual([{ action: 'ngsi-ld.temporal.append', detail: { instances: 4 } }]);
  });

  it('lets only staff write the history', async () => {
    const one = { no2: { type: 'Property', value: 9, observedAt: at('05:00') } };
    expect((await post(one, { link })).status).toBe(401);
    expect((await post(one, { ...(await t.tokenFor('citizen')), link })).status).toBe(403);
    const del = await t.json({ method: 'DELETE', url, headers: { ...(await t.tokenFor('citizen')) } });
    expect(del.status).toBe(403);
    const delAttr = await t.json({ method: 'DELETE', url: `${url}/attrs/no2`, headers: { link } });
    expect(delAttr.status).toBe(401);
    expect((await historyOf()).map((v) => v[0])).not.toContain(9);
  });

  it('refuses bad instances and writes none of a request that has one', async () => {
    const good = { type: 'Property', value: 11, observedAt: at('04:00') };
    const bad: [object, number][] = [
      [{ no2: [good, { value: 12, object: 'urn:a:b' }] }, 400],
      [{ no2: [good, { type: 'Property', value: 12, observedAt: 'yesterday' }] }, 400],
      [{ no2: [good, { type: 'string', value: 12 }] }, 400],
      [{ no2: [] }, 400],
      [{}, 400],
      [[good], 400],
      [{ id: 'urn:ngsi-ld:Other:1', no2: good }, 400],
      [{ "no2'); DELETE FROM ctx_attr_history; --": good }, 400],
      [
        {
          location: {
            type: 'GeoProperty',
            value: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 1],
                  [1, 0],
                  [0, 1],
                  [0, 0],
                ],
              ],
            },
          },
        },
        400,
      ],
      [{ no2: Array.from({ length: 10_001 }, () => good) }, 400],
    ];
    for (const [payload, status] of bad) {
      const res = await post(payload);
      expect(res.status, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(res.body.type).toMatch(/^https:\/\/uri\.etsi\.org\/ngsi-ld\/errors\//);
    }
    expect((await historyOf()).map((v) => v[0])).not.toContain(11);
    const missing = await t.json({
      method: 'POST',
      url: `${base}/temporal/entities/urn:ngsi-ld:AirQualityObserved:nowhere/attrs`,
      headers: staff,
      payload: { no2: good },
    });
    expect(missing.status).toBe(404);
    const notUri = await t.json({
      method: 'POST',
      url: `${base}/temporal/entities/not-a-uri/attrs`,
      headers: staff,
      payload: { no2: good },
    });
    expect(notUri.status).toBe(400);
  });

  it('deletes one datasetId, the default instance, or all instances of an attribute', async () => {
    const del = (query: string) =>
      t.json({ method: 'DELETE', url: `${url}/attrs/no2${query}`, headers: staff });
    expect((await del(`?datasetId=${encodeURIComponent(ds)}&deleteAll=true`)).status).toBe(400);
    expect((await del('?datasetId=not%20a%20uri')).status).toBe(400);
    expect((await del(`?datasetId=${encodeURIComponent(ds)}`)).status).toBe(204);
    expect((await historyOf()).map((v) => v[0]).sort()).toEqual([1, 5, 6]);
    expect((await del(`?datasetId=${encodeURIComponent(ds)}`)).status).toBe(404);
    await post({ no2: { type: 'Property', value: 8, observedAt: at('03:00'), datasetId: ds } });
    expect((await del('')).status).toBe(204);
    expect((await historyOf()).map((v) => v[0])).toEqual([8]);
    expect((await del('?deleteAll=true')).status).toBe(204);
    expect(await historyOf()).toEqual([]);
    expect((await del('?deleteAll=true')).status).toBe(404);
    expect((await historyOf('pm10')).map((v) => v[0])).toEqual([40]);
  });

  it('deletes the whole history of an entity but keeps its current state', async () => {
    const res = await t.json({ method: 'DELETE', url, headers: staff });
    expect(res.status).toBe(204);
    const [n] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_attr_history WHERE entity_id = ${w}`,
    );
    expect(n.n).toBe(0);
    expect((await get(`/entities/${w}?options=keyValues`)).body.no2).toBe(1);
    // Other entities' history is untouched.
    expect(
      (await get(`/temporal/entities/${id}?attrs=no2&options=temporalValues`)).body.no2.values,
    ).toHaveLength(4);
    // An entity without history can be "deleted" again; one that does not exist cannot.
    expect((await t.json({ method: 'DELETE', url, headers: staff })).status).toBe(204);
    const missing = await t.json({
      method: 'DELETE',
      url: `${base}/temporal/entities/urn:ngsi-ld:AirQualityObserved:nowhere`,
      headers: staff,
    });
    expect(missing.status).toBe(404);
    const audits = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${w} AND action LIKE 'ngsi-ld.temporal.%' ORDER BY id`,
    );
    expect(audits.map((a) => a.action)).toEqual([
      'ngsi-ld.temporal.append',
      'ngsi-ld.temporal.attribute.delete',
      'ngsi-ld.temporal.append',
      'ngsi-ld.temporal.attribute.delete',
      'ngsi-ld.temporal.attribute.delete',
      'ngsi-ld.temporal.delete',
      'ngsi-ld.temporal.delete',
    ]);
  });
});
