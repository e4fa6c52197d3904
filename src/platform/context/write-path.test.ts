import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';

// The single-entity write path: one UPDATE of what differs (with history and audit in the same
// statement), and the live subscriptions kept in process while the write statement reports them unchanged.

let t: TestApp;
let staff: Record<string, string>;
const env = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const id = 'urn:ngsi-ld:AirQualityObserved:wp-001';
const subId = 'urn:ngsi-ld:Subscription:wp-1';

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link: env };
  const res = await t.json({
    method: 'POST',
    url: `${base}/entities`,
    headers: staff,
    payload: {
      id,
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: 10, unitCode: 'GQ' },
      pm25: { type: 'Property', value: 5 },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [102.83, 16.43] } },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(() => t?.close());

const patchNo2 = async (value: number) => {
  const res = await t.json({
    method: 'PATCH',
    url: `${base}/entities/${id}/attrs/no2`,
    headers: staff,
    payload: { value },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(204);
};
/** Whether a notification carrying no2 = `value` was queued for the subscription. */
const notified = async (value: number) =>
  (
    await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_notifications WHERE subscription_id = ${subId}
        AND jsonb_path_exists(data, '$[*].no2.value ? (@ == $v)', jsonb_build_object('v', ${value}::int))`,
    )
  )[0].n === 1;

describe('single-entity write path', () => {
  it('changes only the patched attribute, with its history and audit row', async () => {
    await patchNo2(42);
    const [row] = await t.db.rows<{ attrs: Record<string, { value: unknown }> }>(
      sql`SELECT attrs FROM ctx_entities WHERE id = ${id}`,
    );
    const values = Object.fromEntries(
      Object.entries(row.attrs).map(([k, v]) => [k.split('/').pop(), v.value]),
    );
    expect(values).toMatchObject({ no2: 42, pm25: 5 });
    const history = await t.db.rows<{ v: number }>(
      sql`SELECT (instance->>'value')::int AS v FROM ctx_attr_history
        WHERE entity_id = ${id} AND attr LIKE '%no2' ORDER BY modified_at`,
    );
    expect(history.map((h) => h.v)).toEqual([10, 42]);
    const audit = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log
        WHERE action = 'ngsi-ld.entity.attribute.update' AND resource_id = ${id}`,
    );
    expect(audit[0].n).toBe(1);
  });

  it('moves the location column when the location attribute changes', async () => {
    const res = await t.json({
      method: 'PATCH',
      url: `${base}/entities/${id}/attrs`,
      headers: staff,
      payload: { location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [102.9, 16.5] } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const [row] = await t.db.rows<{ x: number; y: number }>(
      sql`SELECT ST_X(location) AS x, ST_Y(location) AS y FROM ctx_entities WHERE id = ${id}`,
    );
    expect(row).toEqual({ x: 102.9, y: 16.5 });
  });

  it('sees subscriptions another process creates, pauses and deletes at the next write', async () => {
    await patchNo2(1); // the process now keeps the tenant's (empty) list of live subscriptions
    // Another process (here: plain SQL on the same database) stores a subscription.
    const body = {
      id: subId,
      type: 'Subscription',
      entities: [{ type: 'AirQualityObserved' }],
      notification: { endpoint: { uri: 'http://127.0.0.1:9/wp', accept: 'application/json' } },
    };
    await t.db.orm.execute(sql`INSERT INTO ctx_subscriptions (tenant, id, body, context, is_active)
      VALUES ('', ${subId}, ${JSON.stringify(body)}::jsonb, ${JSON.stringify(env.slice(1, env.indexOf('>')))}::jsonb, true)`);
    await patchNo2(2);
    expect(await notified(2)).toBe(true);
    // It is paused elsewhere (every change of a subscription sets modified_at).
    await t.db.orm.execute(
      sql`UPDATE ctx_subscriptions SET is_active = false, modified_at = now() WHERE id = ${subId}`,
    );
    await patchNo2(3);
    expect(await notified(3)).toBe(false);
    await t.db.orm.execute(
      sql`UPDATE ctx_subscriptions SET is_active = true, modified_at = now() WHERE id = ${subId}`,
    );
    await patchNo2(4);
    expect(await notified(4)).toBe(true);
    await t.db.orm.execute(sql`DELETE FROM ctx_subscriptions WHERE id = ${subId}`);
    await patchNo2(5);
    expect(await notified(5)).toBe(false);
  });
});
