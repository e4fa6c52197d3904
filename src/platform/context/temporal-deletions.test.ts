import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';

// Deletions in the temporal representation: a deleted attribute instance is an instance with the
// NGSI-LD Null and `deletedAt`; a deleted entity still answers GET /temporal/entities/{id}, with
// `deletedAt`, until its history is deleted.

let t: TestApp;
let staff: Record<string, string>;
const link = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const personal = 'https://mueang.dev/ngsi-ld/personal';
const nullValue = 'urn:ngsi-ld:null';
const at = (hm: string) => `2026-01-01T${hm}:00Z`;
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/;

const get = (url: string, headers: Record<string, string> = { link }) =>
  t.json({ method: 'GET', url: `${base}${url}`, headers });
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = staff) =>
  t.json({
    method,
    url: `${base}${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

function entity(id: string, type = 'AirQualityObserved') {
  return {
    id,
    type,
    no2: { type: 'Property', value: 10, observedAt: at('12:00') },
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:kk-001' },
    label: { type: 'LanguageProperty', languageMap: { th: 'สถานี' } },
    pm25: [
      { type: 'Property', value: 1, datasetId: 'urn:ngsi-ld:Dataset:a' },
      { type: 'Property', value: 2, datasetId: 'urn:ngsi-ld:Dataset:b' },
    ],
    reporter: { type: 'Property', value: 7, [personal]: { type: 'Property', value: true } },
  };
}

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link };
});
afterAll(() => t?.close());

describe('deleted attributes in the history', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:deletions-1';

  beforeAll(async () => {
    expect((await send('POST', '/entities', entity(id))).status).toBe(201);
  });

  it('marks an attribute deleted by DELETE with the NGSI-LD Null and deletedAt', async () => {
    expect((await send('DELETE', `/entities/${id}/attrs/refDevice`)).status).toBe(204);
    const h = (await get(`/temporal/entities/${id}`)).body;
    expect(h.refDevice).toHaveLength(2);
    const [first, mark] = h.refDevice;
    expect(first.object).toBe('urn:ngsi-ld:Device:kk-001');
    expect(mark).toMatchObject({ type: 'Relationship', object: nullValue });
    expect(mark.deletedAt).toMatch(iso);
    expect(mark.observedAt).toBeUndefined();
    expect(mark.instanceId).toMatch(/^urn:ngsi-ld:attribute:instance:/);
    // The current state has no refDevice.
    expect((await get(`/entities/${id}`)).body.refDevice).toBeUndefined();
  });

  it('marks attributes deleted by a merge with the NGSI-LD Null, each type in its member', async () => {
    const res = await send('PATCH', `/entities/${id}`, {
      no2: nullValue,
      label: { type: 'LanguageProperty', languageMap: { th: 'x' } },
    });
    expect(res.status).toBe(204);
    expect(
      (await send('PATCH', `/entities/${id}`, { label: { type: 'Property', value: nullValue } })).status,
    ).toBe(204);
    const h = (await get(`/temporal/entities/${id}`)).body;
    expect(h.no2.map((a: { value: unknown }) => a.value)).toEqual([10, nullValue]);
    expect(h.no2[1].deletedAt).toMatch(iso);
    const labelMark = h.label[h.label.length - 1];
    expect(labelMark).toMatchObject({ type: 'LanguageProperty', languageMap: { '@none': nullValue } });
  });

  it('marks one deleted datasetId, and not the instances that stay', async () => {
    const res = await send(
      'DELETE',
      `/entities/${id}/attrs/pm25?datasetId=${encodeURIComponent('urn:ngsi-ld:Dataset:a')}`,
    );
    expect(res.status).toBe(204);
    const h = (await get(`/temporal/entities/${id}?attrs=pm25`)).body;
    const marks = h.pm25.filter((a: { deletedAt?: string }) => a.deletedAt);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ value: nullValue, datasetId: 'urn:ngsi-ld:Dataset:a' });
  });

  it('does not count marks in aggregations, and lastN sees them as the newest instance', async () => {
    const agg = (
      await get(
        `/temporal/entities/${id}?attrs=no2&options=aggregatedValues&aggrMethods=totalCount,distinctCount`,
      )
    ).body;
    expect(agg.no2.totalCount[0][0]).toBe(1);
    expect(agg.no2.distinctCount[0][0]).toBe(1);
    const last = (await get(`/temporal/entities/${id}?attrs=no2&lastN=1&timeproperty=modifiedAt`)).body;
    expect(last.no2).toHaveLength(1);
    expect(last.no2[0].value).toBe(nullValue);
  });

  it('hides the marks of personal attributes from anonymous callers', async () => {
    expect((await send('DELETE', `/entities/${id}/attrs/reporter`)).status).toBe(204);
    const staffView = (await get(`/temporal/entities/${id}`, { ...staff })).body;
    expect(staffView.reporter.map((a: { value: unknown }) => a.value)).toEqual([7, nullValue]);
    const anonymous = (await get(`/temporal/entities/${id}`)).body;
    expect(anonymous.reporter).toBeUndefined();
    const agg = (await get(`/temporal/entities/${id}?options=aggregatedValues&aggrMethods=totalCount`)).body;
    expect(agg.reporter).toBeUndefined();
  });

  it('writes the marks with the change in one go: an attribute that did not exist marks nothing', async () => {
    expect((await send('DELETE', `/entities/${id}/attrs/nothere`)).status).toBe(404);
    const [{ n }] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_attr_history WHERE entity_id = ${id} AND instance ? 'deletedAt'`,
    );
    expect(n).toBe(5); // refDevice, no2, label, pm25 (dataset a), reporter
  });
});

describe('deleted entities in the history', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:deletions-2';
  const person = 'urn:ngsi-ld:Person:deletions-3';

  beforeAll(async () => {
    expect((await send('POST', '/entities', entity(id))).status).toBe(201);
    expect((await send('POST', '/entities', entity(person, 'https://schema.org/Person'))).status).toBe(201);
    expect((await send('DELETE', `/entities/${id}`)).status).toBe(204);
    const batch = await send('POST', '/entityOperations/delete', [person]);
    expect(batch.status).toBe(204);
  });

  it('answers the history of a deleted entity with its deletedAt', async () => {
    expect((await get(`/entities/${id}`)).status).toBe(404);
    const res = await get(`/temporal/entities/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.body.type).toBe('AirQualityObserved');
    expect(res.body.deletedAt).toMatch(iso);
    expect(res.body.no2[0].value).toBe(10);
    expect(res.body.reporter).toBeUndefined(); // personal, anonymous caller
    expect((await get(`/temporal/entities/${id}`, { ...staff })).body.reporter[0].value).toBe(7);
    const agg = (
      await get(`/temporal/entities/${id}?options=aggregatedValues&aggrMethods=totalCount&attrs=no2`)
    ).body;
    expect(agg.no2.totalCount[0][0]).toBe(1);
  });

  it('keeps a deleted Person from anonymous callers and from other tenants', async () => {
    expect((await get(`/temporal/entities/${person}`)).status).toBe(404);
    expect((await get(`/temporal/entities/${person}`, { ...staff })).status).toBe(200);
    expect((await get(`/temporal/entities/${id}`, { ...staff, 'ngsild-tenant': 'other' })).status).toBe(404);
  });

  it('shows the current entity again once the id is created anew, without deletedAt', async () => {
    const again = 'urn:ngsi-ld:AirQualityObserved:deletions-4';
    expect((await send('POST', '/entities', entity(again))).status).toBe(201);
    expect((await send('DELETE', `/entities/${again}`)).status).toBe(204);
    expect((await send('POST', '/entities', { id: again, type: 'AirQualityObserved', so2: 3 })).status).toBe(
      201,
    );
    const h = (await get(`/temporal/entities/${again}`)).body;
    expect(h.deletedAt).toBeUndefined();
    expect(h.no2[0].value).toBe(10);
    expect(h.so2[0].value).toBe(3);
  });

  it('finds deleted entities in temporal queries by id, type and idPattern, not by attributes', async () => {
    const pattern = encodeURIComponent('deletions-2$');
    const res = await get(
      `/temporal/entities?type=AirQualityObserved&idPattern=${pattern}&count=true&attrs=`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(res.body[0].deletedAt).toMatch(iso);
    expect(res.body[0].no2[0].value).toBe(10);
    expect(res.headers['ngsild-results-count']).toBe('1');
    // A live entity of the same query has no deletedAt.
    const both = await get(
      `/temporal/entities?type=AirQualityObserved&idPattern=${encodeURIComponent('deletions-[12]$')}`,
    );
    expect(
      both.body.map((e: { id: string; deletedAt?: string }) => [e.id, e.deletedAt === undefined]),
    ).toEqual([
      ['urn:ngsi-ld:AirQualityObserved:deletions-1', true],
      [id, false],
    ]);
    // Conditions on attributes cannot be asked of a deleted entity: q (even a negation) and attrs skip it.
    for (const q of ['q=no2==10', 'q=!so2', 'attrs=no2'])
      expect(
        (await get(`/temporal/entities?type=AirQualityObserved&idPattern=${pattern}&${q}`)).body,
      ).toEqual([]);
    // Person entities stay hidden from anonymous callers; other tenants see nothing.
    const people = `/temporal/entities?id=${encodeURIComponent(person)}`;
    expect((await get(people)).body).toEqual([]);
    expect((await get(people, { ...staff })).body.map((e: { id: string }) => e.id)).toEqual([person]);
    expect((await get(`/temporal/entities?id=${id}`, { ...staff, 'ngsild-tenant': 'other' })).body).toEqual(
      [],
    );
  });

  it('forgets a deleted entity when its whole history is deleted', async () => {
    expect((await send('DELETE', `/temporal/entities/${id}`)).status).toBe(204);
    expect((await get(`/temporal/entities/${id}`)).status).toBe(404);
    expect((await send('DELETE', `/temporal/entities/${id}`)).status).toBe(404);
    const [{ n }] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_deleted_entities WHERE id = ${id}`,
    );
    expect(n).toBe(0);
  });

  it('answers bad ids as before', async () => {
    expect(
      (await get(`/temporal/entities/${encodeURIComponent("x'; DROP TABLE ctx_deleted_entities; --")}`))
        .status,
    ).toBe(400);
    expect((await get('/temporal/entities/urn:ngsi-ld:AirQualityObserved:never')).status).toBe(404);
  });
});
