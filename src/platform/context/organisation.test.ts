import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Events } from '../../core/events/outbox.ts';
import { demoOffices, demoZones } from '../../core/org/seed.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { seedCity } from '../../seed.ts';
import { mueangContextUrl } from './contexts/index.ts';
import { linkHeader } from './jsonld.ts';
import { publishOrganisation } from './organisation.ts';
import { contextService } from './service.ts';

let t: TestApp;
const base = '/ngsi-ld/v1';
const link = { link: linkHeader(mueangContextUrl) };
const counts = async () => {
  const [r] = await t.db.rows<{ entities: number; history: number }>(sql`SELECT
    (SELECT count(*)::int FROM ctx_entities) AS entities, (SELECT count(*)::int FROM ctx_attr_history) AS history`);
  return r;
};

beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

it('publishes the demo offices, zones and communities as Mueang entities', async () => {
  const offices = await t.json({
    method: 'GET',
    url: `${base}/entities?type=MueangOffice&limit=100`,
    headers: link,
  });
  expect(offices.status).toBe(200);
  expect(offices.body.map((e: { id: string }) => e.id).sort()).toEqual(
    demoOffices.map((o) => `urn:ngsi-ld:MueangOffice:${o.code}`).sort(),
  );
  const clerk = offices.body.find((e: { id: string }) => e.id === 'urn:ngsi-ld:MueangOffice:clerk');
  expect(clerk.nameTh.value).toBe('สำนักปลัดเทศบาล');
  expect(clerk.name.languageMap).toEqual({ th: 'สำนักปลัดเทศบาล', en: 'Office of the Municipal Clerk' });
  expect(clerk.services.value).toContain('complaints');
  const zones = await t.json({
    method: 'GET',
    url: `${base}/entities?type=MueangZone&limit=100`,
    headers: link,
  });
  expect(zones.body).toHaveLength(demoZones().length);
  const communities = await t.json({
    method: 'GET',
    url: `${base}/entities?type=MueangCommunity&limit=100&q=refZone==%22urn:ngsi-ld:MueangZone:zone-1%22`,
    headers: link,
  });
  expect(communities.body.map((e: { code: { value: string } }) => e.code.value).sort()).toEqual([
    'z1-c1',
    'z1-c2',
    'z1-c3',
    'z1-c4',
  ]);
  expect(communities.body[0].synthetic.value).toBe(true);
  expect(communities.body[0].location.value.type).toBe('MultiPolygon');
});

it('finds the community around a point with a geo-query', async () => {
  // Khon Kaen city centre, south-east of the middle: zone 4.
  const res = await t.json({
    method: 'GET',
    url: `${base}/entities?type=MueangCommunity&georel=intersects&geometry=Point&coordinates=[102.86,16.40]`,
    headers: link,
  });
  expect(res.status).toBe(200);
  expect(res.body).toHaveLength(1);
  expect(res.body[0].refZone.object).toBe('urn:ngsi-ld:MueangZone:zone-4');
});

it('changes nothing when the seed runs again or the platform restarts', async () => {
  const before = await counts();
  const [stamp] = await t.db.rows<{ m: string }>(sql`SELECT max(modified_at)::text AS m FROM ctx_entities`);
  await seedCity(t.db, new Events(t.db, pino({ level: 'silent' })), []);
  expect(await publishOrganisation(t.db)).toBe(0);
  expect(await counts()).toEqual(before);
  const [after] = await t.db.rows<{ m: string }>(sql`SELECT max(modified_at)::text AS m FROM ctx_entities`);
  expect(after.m).toBe(stamp.m);
});

it('republishes an entity whose source changed, and only that one', async () => {
  await t.db.orm.execute(sql`UPDATE core_offices SET name_en = 'Office of the Clerk' WHERE code = 'clerk'`);
  const before = await counts();
  expect(await publishOrganisation(t.db)).toBe(1);
  const after = await counts();
  expect(after.entities).toBe(before.entities);
  expect(after.history).toBeGreaterThan(before.history);
  const e = await contextService(t.db).get('', 'urn:ngsi-ld:MueangOffice:clerk');
  expect(JSON.stringify(e.attrs)).toContain('Office of the Clerk');
});

it('still writes a publish whose content differs only in one attribute value of a module entity', async () => {
  const s = contextService(t.db);
  const entity = {
    id: 'urn:ngsi-ld:MueangZone:test',
    type: 'MueangZone',
    code: { type: 'Property', value: 'a' },
  };
  expect(await t.db.transaction((tx) => s.publish(tx, entity, { context: mueangContextUrl }))).toBe(true);
  expect(await t.db.transaction((tx) => s.publish(tx, entity, { context: mueangContextUrl }))).toBe(false);
  const changed = { ...entity, code: { type: 'Property', value: 'b' } };
  expect(await t.db.transaction((tx) => s.publish(tx, changed, { context: mueangContextUrl }))).toBe(true);
  // A type added is a change too.
  const retyped = { ...changed, type: ['MueangZone', 'MueangCommunity'] };
  expect(await t.db.transaction((tx) => s.publish(tx, retyped, { context: mueangContextUrl }))).toBe(true);
});
