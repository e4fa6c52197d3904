import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';
import { planPatchAttr } from './merge.ts';
import { contextService } from './service.ts';

// The single-entity write path: one UPDATE of what differs (with history and audit in the same
// statement), and the live subscriptions kept in process while the write statement reports them unchanged.
// A change no listener acts on is written without a transaction: loaded unlocked with its row version,
// then one statement that writes only if the row and the subscriptions are still as loaded.

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
  [{ no2Iri }] = await t.db.rows<{ no2Iri: string }>(
    sql`SELECT k AS "no2Iri" FROM ctx_entities, jsonb_object_keys(attrs) k WHERE id = ${id} AND k LIKE '%no2'`,
  );
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
/** The expanded name of no2 under the Environment @context, as stored. */
let no2Iri: string;
const count = async (query: ReturnType<typeof sql>) => (await t.db.rows<{ n: number }>(query))[0].n;
const historyCount = () =>
  count(sql`SELECT count(*)::int AS n FROM ctx_attr_history WHERE entity_id = ${id} AND attr LIKE '%no2'`);
const auditCount = () => count(sql`SELECT count(*)::int AS n FROM core_audit_log WHERE resource_id = ${id}`);
const storedNo2 = async () => {
  const [row] = await t.db.rows<{ v: number }>(
    sql`SELECT (attrs->${no2Iri}->>'value')::int AS v FROM ctx_entities WHERE id = ${id}`,
  );
  return row.v;
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

  it('keeps a value-only change HOT-eligible: no index over attrs, the attribute names in their own column', async () => {
    const defs = await t.db.rows<{ def: string }>(
      sql`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'ctx_entities'`,
    );
    expect(defs.map((d) => d.def).filter((d) => /\battrs\b/.test(d))).toEqual([]);
    expect(defs.some((d) => /gin \(attr_names\)/.test(d.def))).toBe(true);
    const added = await t.json({
      method: 'POST',
      url: `${base}/entities/${id}/attrs`,
      headers: staff,
      payload: { so2: { type: 'Property', value: 3 } },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(204);
    const found = await t.json({ method: 'GET', url: `${base}/entities?attrs=so2`, headers: staff });
    expect(found.body.map((e: { id: string }) => e.id)).toEqual([id]);
    const [names] = await t.db.rows<{ n: string[] }>(
      sql`SELECT attr_names AS n FROM ctx_entities WHERE id = ${id}`,
    );
    expect(names.n.some((n) => n.endsWith('so2'))).toBe(true);
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

  it('writes a change no listener acts on without a transaction, with its history and audit row', async () => {
    await patchNo2(6); // the process now knows the tenant's live subscriptions (none)
    const [history, audit] = [await historyCount(), await auditCount()];
    const spy = vi.spyOn(t.db, 'transaction');
    try {
      await patchNo2(7);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await storedNo2()).toBe(7);
    expect(await historyCount()).toBe(history + 1);
    expect(await auditCount()).toBe(audit + 1);
  });

  it('writes nothing unlocked when the row changed since it was loaded', async () => {
    const repo = contextService(t.db).repo;
    const loaded = (await repo.loadVersioned(t.db.orm, '', id))!;
    // Another writer changes the row after it was loaded.
    await t.db.orm.execute(
      sql`UPDATE ctx_entities SET attrs = jsonb_set(attrs, ARRAY[${no2Iri}, 'value'], '70') WHERE id = ${id}`,
    );
    const [history, audit] = [await historyCount(), await auditCount()];
    const at = new Date().toISOString();
    const plan = planPatchAttr(loaded.entity, no2Iri, { type: 'Property', value: 71 }, at);
    const written = await repo.update(
      t.db.orm,
      '',
      [{ before: loaded.entity, after: plan.after! }],
      { entries: plan.written.map(([attr, instance]) => ({ id, attr, instance })), at },
      [
        sql`INSERT INTO core_audit_log (action, resource_type, resource_id) SELECT 'x', 'x', ${id} WHERE EXISTS (SELECT 1 FROM w)`,
      ],
      { version: loaded.version, guard: sql`true` },
    );
    expect(written.ids.size).toBe(0);
    expect(await storedNo2()).toBe(70);
    expect(await historyCount()).toBe(history);
    expect(await auditCount()).toBe(audit);
  });

  it('plans a change again on the locked row when another writer got in between', async () => {
    const service = contextService(t.db);
    const calls: number[] = [];
    await service.change('', id, 'ngsi-ld.entity.attribute.update', systemActor, async (before, at) => {
      const seen = (before.attrs[no2Iri] as { value: number }).value;
      calls.push(seen);
      // The first (unlocked) attempt: another writer changes the row before this one writes.
      if (calls.length === 1)
        await t.db.orm.execute(
          sql`UPDATE ctx_entities SET attrs = jsonb_set(attrs, ARRAY[${no2Iri}, 'value'], to_jsonb(${seen + 100}::int)) WHERE id = ${id}`,
        );
      return planPatchAttr(before, no2Iri, { type: 'Property', value: seen + 1 }, at);
    });
    expect(calls).toEqual([calls[0], calls[0] + 100]);
    expect(await storedNo2()).toBe(calls[0] + 101);
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
