import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { khonKaen, sdmLink } from './fixtures.ts';

let t: TestApp;
let staff: Record<string, string>;
const base = '/ngsi-ld/v1';
const env = sdmLink('Environment');
const errors = 'https://uri.etsi.org/ngsi-ld/errors/';

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link: env };
  const res = await t.json({
    method: 'POST',
    url: `${base}/entities`,
    headers: staff,
    payload: khonKaen('AirQualityObserved', 1),
  });
  expect(res.status).toBe(201);
});
afterAll(() => t?.close());

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.json({
    method: 'POST',
    url: `${base}/entities`,
    headers: { ...staff, ...headers },
    payload: payload as object,
  });

function expectProblem(
  res: { status: number; body: { type: string; status: number }; headers: Record<string, unknown> },
  type: string,
  status: number,
) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.type).toBe(`${errors}${type}`);
  expect(res.body.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/json');
}

describe('bad input answers NGSI-LD ProblemDetails', () => {
  it('malformed JSON is InvalidRequest', async () => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, 'content-type': 'application/json' },
      payload: '{"id": "urn:x:1", "type": ',
    });
    expectProblem(res, 'InvalidRequest', 400);
    const ld = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...(await t.tokenFor('officer')), 'content-type': 'application/ld+json' },
      payload: '{nope',
    });
    expectProblem(ld, 'InvalidRequest', 400);
  });

  it.each(['not a uri', 'kk-001', 'urn:has space', 42])(
    'an id that is not a URI (%s) is BadRequestData',
    async (id) => {
      expectProblem(await post({ id, type: 'AirQualityObserved' }), 'BadRequestData', 400);
    },
  );

  it.each([
    [{ no2: null }],
    [{ no2: { value: 3, object: 'urn:a:b' } }],
    [{ no2: { unitCode: 'GQ' } }],
    [{ no2: { type: 'string', value: 3 } }],
    [{ refDevice: { type: 'Relationship' } }],
    [{ refDevice: { type: 'Relationship', object: 'not a uri' } }],
    [{ no2: { type: 'Property' } }],
    [{ no2: { type: 'Property', value: 1, observedAt: 'yesterday' } }],
    [{ name: { type: 'LanguageProperty', languageMap: 'x' } }],
    [{ 'bad name': { type: 'Property', value: 1 } }],
  ])('attribute %j is BadRequestData', async (attrs) => {
    expectProblem(
      await post({ id: 'urn:ngsi-ld:AirQualityObserved:x', type: 'AirQualityObserved', ...attrs }),
      'BadRequestData',
      400,
    );
  });

  it('refuses an entity without a type', async () => {
    expectProblem(await post({ id: 'urn:ngsi-ld:X:1' }), 'BadRequestData', 400);
  });

  it.each([
    [{ type: 'Point', coordinates: [200, 16] }],
    [{ type: 'Point', coordinates: '102,16' }],
    [{ type: 'Circle', coordinates: [102, 16] }],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [102.8, 16.4],
            [102.9, 16.4],
            [102.9, 16.5],
          ],
        ],
      },
    ],
    // A bow-tie: well formed GeoJSON, but PostGIS finds it self-intersecting.
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [102.8, 16.4],
            [102.9, 16.5],
            [102.9, 16.4],
            [102.8, 16.5],
            [102.8, 16.4],
          ],
        ],
      },
    ],
  ])('invalid GeoJSON %j is BadRequestData', async (value) => {
    const res = await post({
      id: 'urn:ngsi-ld:AirQualityObserved:geo',
      type: 'AirQualityObserved',
      location: { type: 'GeoProperty', value },
    });
    expectProblem(res, 'BadRequestData', 400);
  });

  it('a duplicate create is AlreadyExists', async () => {
    expectProblem(await post(khonKaen('AirQualityObserved', 1)), 'AlreadyExists', 409);
  });

  it.each(['no2>>1', '(no2>1', 'no2==', 'no2 > 1'])('q=%s is InvalidRequest', async (q) => {
    const res = await t.json({
      method: 'GET',
      url: `${base}/entities?type=AirQualityObserved&q=${encodeURIComponent(q)}`,
    });
    expectProblem(res, 'InvalidRequest', 400);
  });

  it('too complex queries and too many results are 403', async () => {
    const deep = `${'('.repeat(20)}no2>1${')'.repeat(20)}`;
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities?q=${encodeURIComponent(deep)}` }),
      'TooComplexQuery',
      403,
    );
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities?type=X&limit=5000` }),
      'TooManyResults',
      403,
    );
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities?idPattern=${encodeURIComponent('(a+)+$')}` }),
      'TooComplexQuery',
      403,
    );
  });

  it('a query without any filter, or with a broken geo-query, is BadRequestData', async () => {
    expectProblem(await t.json({ method: 'GET', url: `${base}/entities` }), 'BadRequestData', 400);
    expectProblem(
      await t.json({
        method: 'GET',
        url: `${base}/entities?type=X&georel=near&geometry=Point&coordinates=[1,2]`,
      }),
      'BadRequestData',
      400,
    );
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities?type=X&limit=abc` }),
      'InvalidRequest',
      400,
    );
  });

  it('unknown entities and routes are ResourceNotFound', async () => {
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities/urn:ngsi-ld:X:none` }),
      'ResourceNotFound',
      404,
    );
    expectProblem(await t.json({ method: 'GET', url: `${base}/nothing-here` }), 'ResourceNotFound', 404);
  });

  it('applies the @context rules', async () => {
    const token = await t.tokenFor('officer');
    const e = {
      id: 'urn:ngsi-ld:AirQualityObserved:ctx',
      type: 'AirQualityObserved',
      '@context': [env.slice(1, env.indexOf('>'))],
    };
    // A body @context with application/json.
    expectProblem(
      await t.json({ method: 'POST', url: `${base}/entities`, headers: token, payload: e }),
      'BadRequestData',
      400,
    );
    // Both a Link header and a body @context.
    const both = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...token, link: env, 'content-type': 'application/ld+json' },
      payload: JSON.stringify(e),
    });
    expectProblem(both, 'BadRequestData', 400);
    // An unknown remote context.
    const remote = await t.json({
      method: 'GET',
      url: `${base}/entities?type=X`,
      headers: { link: '<https://example.org/unknown.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' },
    });
    expectProblem(remote, 'LdContextNotAvailable', 503);
    // JSON-LD with its context in the body is fine.
    const ok = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...token, 'content-type': 'application/ld+json' },
      payload: JSON.stringify(e),
    });
    expect(ok.status).toBe(201);
    const back = await t.json({ method: 'GET', url: `${base}/entities/${e.id}`, headers: { link: env } });
    expect(back.body.type).toBe('AirQualityObserved');
  });

  it('refuses a bad tenant and keeps tenants apart', async () => {
    expectProblem(
      await post(khonKaen('AirQualityObserved', 9), { 'ngsild-tenant': 'Khon Kaen!' }),
      'BadRequestData',
      400,
    );
    expect((await post(khonKaen('AirQualityObserved', 1), { 'ngsild-tenant': 'udon-thani' })).status).toBe(
      201,
    );
    const other = await t.json({
      method: 'GET',
      url: `${base}/entities?type=AirQualityObserved`,
      headers: { link: env, 'ngsild-tenant': 'udon-thani' },
    });
    expect(other.body).toHaveLength(1);
    const mine = await t.json({
      method: 'GET',
      url: `${base}/entities?type=AirQualityObserved`,
      headers: { link: env },
    });
    expect(mine.body.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses unacceptable media types', async () => {
    expectProblem(
      await t.json({ method: 'GET', url: `${base}/entities?type=X`, headers: { accept: 'text/html' } }),
      'NotAcceptable',
      406,
    );
  });
});

describe('access', () => {
  it('lets anyone read but only staff write, and audits writes', async () => {
    const anon = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      payload: khonKaen('AirQualityObserved', 5),
    });
    expect(anon.status).toBe(401);
    const citizen = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...(await t.tokenFor('citizen')), link: env },
      payload: khonKaen('AirQualityObserved', 5),
    });
    expect(citizen.status).toBe(403);
  });

  it('hides personal attributes and Person entities from anonymous callers', async () => {
    const person = {
      id: 'urn:ngsi-ld:Person:kk-1',
      type: 'https://schema.org/Person',
      name: { type: 'Property', value: 'Somchai' },
    };
    expect((await post(person)).status).toBe(201);
    const marked = {
      ...khonKaen('AirQualityObserved', 7),
      reporterPhone: { type: 'Property', value: '0812345678', personal: { type: 'Property', value: true } },
    };
    expect(
      (
        await post(marked, {
          link: `<https://mueang.dev/ngsi-ld/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"`,
        })
      ).status,
    ).toBe(201);
    const anonPerson = await t.json({ method: 'GET', url: `${base}/entities/urn:ngsi-ld:Person:kk-1` });
    expect(anonPerson.status).toBe(404);
    const staffPerson = await t.json({
      method: 'GET',
      url: `${base}/entities/urn:ngsi-ld:Person:kk-1`,
      headers: staff,
    });
    expect(staffPerson.status).toBe(200);
    const id = 'urn:ngsi-ld:AirQualityObserved:kk-007';
    const anon = await t.json({ method: 'GET', url: `${base}/entities/${id}` });
    expect(anon.body.reporterPhone).toBeUndefined();
    expect(anon.body.no2).toBeDefined();
    const probe = await t.json({ method: 'GET', url: `${base}/entities?q=reporterPhone=="0812345678"` });
    expect(probe.body).toEqual([]);
    const asStaff = await t.json({
      method: 'GET',
      url: `${base}/entities?q=reporterPhone=="0812345678"`,
      headers: staff,
    });
    expect(asStaff.body).toHaveLength(1);
    expect(asStaff.body[0].reporterPhone.value).toBe('0812345678');
    const anonList = await t.json({ method: 'GET', url: `${base}/entities?idPattern=Person` });
    expect(anonList.body).toEqual([]);
  });
});
