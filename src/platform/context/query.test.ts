import { afterAll, beforeAll, expect, it } from 'vitest';
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
