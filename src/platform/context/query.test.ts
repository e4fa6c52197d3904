import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

// The type condition is `types @> ARRAY[…]` and `q` is wrapped for the planner: the same rows as the
// plain conditions, including for entities with several types and for attributes that are missing.
let t: TestApp;
let staff: Record<string, string>;
const base = '/ngsi-ld/v1';
const ids = (body: { id: string }[]) => body.map((e) => e.id).sort();

beforeAll(async () => {
  t = await testApp();
  staff = await t.tokenFor('officer');
  const entities = [
    { id: 'urn:ngsi-ld:Q:1', type: ['QLamp', 'QDevice'], level: { type: 'Property', value: 5 } },
    { id: 'urn:ngsi-ld:Q:2', type: 'QDevice', level: { type: 'Property', value: 50 } },
    { id: 'urn:ngsi-ld:Q:3', type: 'QLamp', other: { type: 'Property', value: 'x' } },
    { id: "urn:ngsi-ld:Q:4'--", type: 'QLamp', level: { type: 'Property', value: [5, 7] } },
  ];
  for (const payload of entities) {
    const res = await t.json({ method: 'POST', url: `${base}/entities`, headers: staff, payload });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(() => t?.close());

it.each([
  ['type=QDevice', ['urn:ngsi-ld:Q:1', 'urn:ngsi-ld:Q:2']],
  ['type=QLamp', ['urn:ngsi-ld:Q:1', 'urn:ngsi-ld:Q:3', "urn:ngsi-ld:Q:4'--"]],
  ['type=QLamp;QDevice', ['urn:ngsi-ld:Q:1']],
  ["type=QLamp'--", []],
  ['type=QLamp&q=level<10', ['urn:ngsi-ld:Q:1']],
  ['type=QLamp&q=level==5', ['urn:ngsi-ld:Q:1', "urn:ngsi-ld:Q:4'--"]],
  ['type=QLamp&q=level!=5', []],
  ['type=QLamp&q=!level', ['urn:ngsi-ld:Q:3']],
  ['type=QLamp,QDevice&q=level>1;level<100', ['urn:ngsi-ld:Q:1', 'urn:ngsi-ld:Q:2']],
  ["type=QDevice&q=level=='1' OR true", null],
  // attrs= reads the attribute names' index (migration 0007): any of the names, top-level names only.
  ['type=QLamp&attrs=other', ['urn:ngsi-ld:Q:3']],
  [
    'type=QLamp,QDevice&attrs=other,level',
    ['urn:ngsi-ld:Q:1', 'urn:ngsi-ld:Q:2', 'urn:ngsi-ld:Q:3', "urn:ngsi-ld:Q:4'--"],
  ],
  ['type=QLamp&attrs=value', []],
])('GET /entities?%s', async (query, expected) => {
  const [k, rest] = query.split('&q=');
  const url = `${base}/entities?${k}${rest === undefined ? '' : `&q=${encodeURIComponent(rest)}`}`;
  const res = await t.json({ method: 'GET', url });
  if (expected === null) {
    expect(res.status).toBe(400);
    return;
  }
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(ids(res.body)).toEqual(expected);
  const counted = await t.json({ method: 'GET', url: `${url}&count=true&limit=1` });
  expect(counted.headers['ngsild-results-count']).toBe(String(expected.length));
});

// A near query lists the nearest first (the GiST index's order), unless orderBy is given. Points east
// and north of [102.83, 16.43]: c ~53 m, a ~111 m, b ~260 m (inside the 200 m query's bounding box, outside
// its circle), 0 ~1 km; ids in another order than distances.
describe('near', () => {
  const at = (id: string, dx: number, dy: number) => ({
    id: `urn:ngsi-ld:N:${id}`,
    type: 'NLamp',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [102.83 + dx, 16.43 + dy] } },
  });
  beforeAll(async () => {
    for (const payload of [
      at('c', 0.0005, 0),
      at('a', 0, 0.001),
      at('b', 0.0017, 0.0017),
      at('0', 0.01, 0),
    ]) {
      const res = await t.json({ method: 'POST', url: `${base}/entities`, headers: staff, payload });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  const near = (rel: string, extra = '') =>
    `${base}/entities?type=NLamp&georel=${encodeURIComponent(rel)}&geometry=Point&coordinates=[102.83,16.43]${extra}`;
  const listed = async (url: string) => {
    const res = await t.json({ method: 'GET', url });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { id: string }[]).map((e) => e.id.slice('urn:ngsi-ld:N:'.length));
  };

  it.each([
    ['near;maxDistance==200', '', ['c', 'a']],
    ['near;maxDistance==200', '&orderBy=id', ['a', 'c']],
    ['near;maxDistance==200', '&limit=1', ['c']],
    ['near;maxDistance==200', '&limit=1&offset=1', ['a']],
    ['near;maxDistance==300', '', ['c', 'a', 'b']],
    ['near;minDistance==200', '', ['b', '0']],
    ['near;minDistance==200', '&orderBy=id', ['0', 'b']],
  ])('%s%s', async (rel, extra, expected) => {
    expect(await listed(near(rel, extra))).toEqual(expected);
  });

  it('counts the circle, not its bounding box', async () => {
    const res = await t.json({ method: 'GET', url: near('near;maxDistance==200', '&count=true&limit=0') });
    expect(res.headers['ngsild-results-count']).toBe('2');
  });
});
