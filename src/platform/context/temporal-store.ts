import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Attr } from './model.ts';
import { iso } from './repository.ts';

/** Which time of an instance `timerel`, `lastN` and the order use (`timeproperty`). */
export type TimeProperty = 'observedAt' | 'createdAt' | 'modifiedAt';
export const timeProperties: readonly TimeProperty[] = ['observedAt', 'createdAt', 'modifiedAt'];

/** The column of a time property: an instance's creation is its modification until it is changed. */
export function timeColumn(p: TimeProperty): SQL {
  if (p === 'modifiedAt') return sql.raw('modified_at');
  if (p === 'createdAt') return sql.raw('COALESCE(created_at, modified_at)');
  return sql.raw('observed_at');
}

/** How an instance's id is shown: a URI, as the spec wants, around the row's UUID. */
const instancePrefix = 'urn:ngsi-ld:attribute:instance:';
export const instanceUri = (uuid: string) => `${instancePrefix}${uuid}`;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The row's UUID of an instanceId (the URI, or the bare UUID), or null when it cannot be one of ours. */
export function instanceUuid(instanceId: string): string | null {
  const raw = instanceId.startsWith(instancePrefix) ? instanceId.slice(instancePrefix.length) : instanceId;
  const lower = raw.toLowerCase();
  return uuidPattern.test(lower) ? lower : null;
}

export interface HistoryInstance {
  attr: string;
  instance: Attr;
  instanceId: string;
  observedAt: string;
  createdAt: string;
  modifiedAt: string;
  /** The instance's time by the requested time property. */
  at: string;
}

/**
 * One entity's attribute instances, oldest first by the time property, at most `limit` of them (the
 * earliest), or with `lastN` the newest N of each attribute, newest first, at most `limit` of them.
 * `truncated` says whether more matched, so the caller can answer 206 with a Content-Range.
 */
export async function historyPage(
  db: Db,
  q: {
    tenant: string;
    id: string;
    attrs: string[] | null;
    time: SQL;
    property: TimeProperty;
    lastN: number | null;
    limit: number;
  },
): Promise<{ rows: HistoryInstance[]; truncated: boolean }> {
  const col = timeColumn(q.property);
  const attrFilter = q.attrs
    ? sql`AND attr IN (SELECT jsonb_array_elements_text(${JSON.stringify(q.attrs)}::jsonb))`
    : sql``;
  const rank =
    q.lastN === null
      ? sql``
      : sql`, row_number() OVER (PARTITION BY attr ORDER BY ${col} DESC, instance_id) AS rn`;
  const inner = sql`SELECT attr, instance, instance_id, observed_at, modified_at, created_at, ${col} AS t ${rank}
    FROM ctx_attr_history WHERE tenant = ${q.tenant} AND entity_id = ${q.id} ${attrFilter} AND ${q.time}`;
  const order = q.lastN === null ? sql`t, attr, instance_id` : sql`t DESC, attr, instance_id`;
  const rows = await db.rows<HistoryInstance>(
    sql`SELECT attr, instance, instance_id::text AS "instanceId", ${iso('observed_at')} AS "observedAt",
        ${iso('COALESCE(created_at, modified_at)')} AS "createdAt", ${iso('modified_at')} AS "modifiedAt",
        ${iso('t')} AS at
      FROM (${inner}) h WHERE ${q.lastN === null ? sql`true` : sql`rn <= ${q.lastN}`}
      ORDER BY ${order} LIMIT ${q.limit + 1}`,
  );
  const truncated = rows.length > q.limit;
  return { rows: truncated ? rows.slice(0, q.limit) : rows, truncated };
}

type InstanceKey = { tenant: string; id: string; attr: string; uuid: string };

/** The one history row of an instance. */
const instanceRow = (k: InstanceKey) =>
  sql`tenant = ${k.tenant} AND entity_id = ${k.id} AND attr = ${k.attr} AND instance_id = ${k.uuid}::uuid`;

/** One stored instance of an entity's attribute, locked for a change, or undefined. */
export async function loadInstance(
  on: Executor,
  db: Db,
  k: InstanceKey,
): Promise<{ instance: Attr; observedAt: string } | undefined> {
  const [row] = await db.rows<{ instance: Attr; observedAt: string }>(
    sql`SELECT instance, ${iso('observed_at')} AS "observedAt" FROM ctx_attr_history
      WHERE ${instanceRow(k)} FOR UPDATE`,
    on,
  );
  return row;
}

/**
 * Replaces one instance's content. Its observedAt may move it to another month's partition, which
 * PostgreSQL does as a delete and an insert; the instance keeps its id and its creation time.
 */
export async function replaceInstance(
  on: Executor,
  k: InstanceKey,
  instance: Attr,
  at: string,
): Promise<void> {
  await on.execute(
    sql`UPDATE ctx_attr_history SET instance = ${JSON.stringify(instance)}::jsonb,
        observed_at = COALESCE((${JSON.stringify(instance)}::jsonb->>'observedAt')::timestamptz, observed_at),
        created_at = COALESCE(created_at, modified_at), modified_at = ${at}::timestamptz
      WHERE ${instanceRow(k)}`,
  );
}

/** Deletes one instance; whether it was there. */
export async function deleteInstance(on: Executor, db: Db, k: InstanceKey): Promise<boolean> {
  const rows = await db.rows(sql`DELETE FROM ctx_attr_history WHERE ${instanceRow(k)} RETURNING 1`, on);
  return rows.length > 0;
}
