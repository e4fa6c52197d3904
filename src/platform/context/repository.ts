import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { type Attr, type AttrSlot, type Entity, instances, locationIri, personalIri } from './model.ts';
import type { SubscriptionBody } from './subscriptions.ts';

/** A timestamp column as ISO 8601 UTC text with microseconds, as the broker shows times. */
export const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
const entityColumns = sql`id, types, attrs, ${iso('created_at')} AS "createdAt", ${iso('modified_at')} AS "modifiedAt"`;
const chunkSize = 1000;

function chunks<T>(items: T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The `location` column's GeoJSON: the default instance of the location GeoProperty. */
function locationOf(e: Entity): string | null {
  const loc = instances(e.attrs[locationIri]).find(
    (a) => a.datasetId === undefined && a.type === 'GeoProperty',
  );
  return loc ? JSON.stringify(loc.value) : null;
}

/** The INSERT of attribute instances into the history (`filter` a WHERE on the payload row `h`). */
function historyInsert(tenant: string, entries: HistoryEntry[], at: string, filter: SQL): SQL {
  return sql`INSERT INTO ctx_attr_history (tenant, entity_id, attr, instance, observed_at, modified_at)
    SELECT ${tenant}, h->>'id', h->>'attr', h->'instance',
      COALESCE((h->'instance'->>'observedAt')::timestamptz, ${at}::timestamptz), ${at}::timestamptz
    FROM jsonb_array_elements(${JSON.stringify(entries)}::jsonb) AS h ${filter}`;
}

/**
 * What identifies a tenant's change-driven subscriptions as stored: it changes whenever one is created,
 * deleted, paused or changed (every change of a subscription sets its modified_at). Read in the write
 * statement, it tells the matcher whether its cached list is still the stored one without a query.
 */
function subscriptionsVersion(tenant: string): SQL {
  return sql`(SELECT md5(COALESCE(string_agg(id || ' ' || modified_at::text, ',' ORDER BY id), ''))
    FROM ctx_subscriptions WHERE tenant = ${tenant} AND is_active AND time_interval IS NULL)`;
}

/** The statement that writes entities, with the history and any further statements joined as `WITH`s. */
function writeStatement(tenant: string, write: SQL, history: SQL | null, also: SQL[]): SQL {
  const ctes = [sql`w AS (${write})`];
  if (history) ctes.push(sql`h AS (${history})`);
  for (const [i, s] of also.entries()) ctes.push(sql`${sql.raw(`x${i}`)} AS (${s})`);
  return sql`WITH ${sql.join(ctes, sql`, `)} SELECT id, ${subscriptionsVersion(tenant)} AS subs FROM w`;
}

/** The current entities of `where` and the deleted ones (whose id does not exist now), as one relation. */
function withDeleted(tenant: string, where: SQL): SQL {
  return sql`SELECT id, types, attrs, created_at, modified_at, NULL::timestamptz AS deleted_at
      FROM ctx_entities WHERE tenant = ${tenant} AND ${where}
    UNION ALL
    SELECT id, types, '{}'::jsonb AS attrs, created_at, deleted_at AS modified_at, deleted_at
      FROM ctx_deleted_entities d WHERE tenant = ${tenant} AND ${where}
        AND NOT EXISTS (SELECT 1 FROM ctx_entities e WHERE e.tenant = d.tenant AND e.id = d.id)`;
}

/** What a write reports: the ids written and the version of the tenant's live subscriptions it saw. */
export interface Written {
  ids: Set<string>;
  /** null when nothing was written. */
  subscriptions: string | null;
}

/** A stored subscription with what the broker reports about it. */
export interface SubscriptionRow {
  id: string;
  body: SubscriptionBody;
  context: unknown;
  isActive: boolean;
  expired: boolean;
  timesSent: number;
  timesFailed: number;
  lastNotification: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureReason: string | null;
  createdAt: string;
  modifiedAt: string;
}

const subscriptionColumns = sql`id, body, context, is_active AS "isActive",
  (expires_at IS NOT NULL AND expires_at <= now()) AS expired,
  times_sent::int AS "timesSent", times_failed::int AS "timesFailed",
  ${iso('last_notification')} AS "lastNotification", ${iso('last_success')} AS "lastSuccess",
  ${iso('last_failure')} AS "lastFailure", last_failure_reason AS "lastFailureReason",
  ${iso('created_at')} AS "createdAt", ${iso('modified_at')} AS "modifiedAt"`;

export interface LiveSubscription {
  id: string;
  body: SubscriptionBody;
  context: unknown;
  /** Changes whenever the stored subscription does: the key under which its compiled form is reused. */
  version: string;
}

/** One attribute's aggregates over one period (numbers only from numeric values, texts from strings). */
export interface AggregateRow {
  attr: string;
  attrType: string;
  start: string;
  stop: string;
  totalCount: number;
  distinctCount: number;
  sum: number | null;
  avg: number | null;
  stddev: number | null;
  sumsq: number | null;
  minNumber: number | null;
  maxNumber: number | null;
  minText: string | null;
  maxText: string | null;
}

export interface HistoryEntry {
  id: string;
  attr: string;
  instance: Attr;
}

/** The only place with SQL for the broker's tables. */
export class ContextRepository {
  /** Per tenant, the live subscriptions last read and the version they were read at. */
  private readonly live = new Map<
    string,
    { version: string; rows: (LiveSubscription & { expires: number | null })[] }
  >();

  constructor(private readonly db: Db) {}

  rows<T>(query: SQL, on?: Executor): Promise<T[]> {
    return this.db.rows<T>(query, on);
  }

  /** Creates this month's and next month's history partitions if they are missing. */
  async ensurePartitions(): Promise<void> {
    await this.db.orm.execute(sql`SELECT ctx_ensure_history_partition(now()::date),
      ctx_ensure_history_partition((now() + interval '1 month')::date)`);
  }

  async load(on: Executor, tenant: string, ids: string[], lock: boolean): Promise<Map<string, Entity>> {
    const found = new Map<string, Entity>();
    // Locked in id order, so two writers locking overlapping sets cannot deadlock each other.
    for (const part of chunks([...new Set(ids)].sort())) {
      // One id (every single-entity write) as a plain equality: planned and run in half the time of the
      // semi-join with a JSON array, which many ids need.
      const match =
        part.length === 1
          ? sql`id = ${part[0]}`
          : sql`id IN (SELECT jsonb_array_elements_text(${JSON.stringify(part)}::jsonb))`;
      const rows = await this.db.prepared<Entity>(
        sql`SELECT ${entityColumns} FROM ctx_entities WHERE tenant = ${tenant} AND ${match}
          ${lock ? sql`ORDER BY id FOR UPDATE` : sql``}`,
        on,
      );
      for (const r of rows) found.set(r.id, r);
    }
    return found;
  }

  /**
   * One entity unlocked, with its row version (`xmin`, which every committed change of the row changes),
   * for a write that checks nobody changed the row since (`update`'s `unchanged`) instead of locking it.
   */
  async loadVersioned(
    on: Executor,
    tenant: string,
    id: string,
  ): Promise<{ entity: Entity; version: string } | null> {
    const [row] = await this.db.prepared<Entity & { version: string }>(
      sql`SELECT xmin::text AS version, ${entityColumns} FROM ctx_entities WHERE tenant = ${tenant} AND id = ${id}`,
      on,
    );
    if (!row) return null;
    const { version, ...entity } = row;
    return { entity, version };
  }

  /** Indexes of the GeoJSON texts that PostGIS finds invalid (e.g. self-intersecting polygons). */
  async invalidGeometries(on: Executor, geometries: string[]): Promise<Set<number>> {
    const bad = new Set<number>();
    if (geometries.length === 0) return bad;
    for (const [n, part] of chunks(geometries).entries()) {
      const rows = await this.db.rows<{ i: number }>(
        sql`SELECT (g.i - 1)::int AS i FROM jsonb_array_elements_text(${JSON.stringify(part)}::jsonb) WITH ORDINALITY AS g(j, i)
          WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(g.j))`,
        on,
      );
      for (const r of rows) bad.add(n * chunkSize + r.i);
    }
    return bad;
  }

  /**
   * Writes whole entities. `insert` skips ids that exist (returned as not written); `upsert` replaces.
   * `history` (attribute instances observed at their observedAt or `at`) is appended in the same
   * statement for the entities actually written, and so are the statements in `also` (e.g. the audit
   * row), so a change is one round trip. Returns the ids written.
   */
  async write(
    on: Executor,
    tenant: string,
    entities: Entity[],
    mode: 'insert' | 'upsert',
    history: { entries: HistoryEntry[]; at: string } = { entries: [], at: '' },
    also: SQL[] = [],
  ): Promise<Written> {
    const out: Written = { ids: new Set<string>(), subscriptions: null };
    const byId = new Map<string, HistoryEntry[]>();
    for (const h of history.entries) {
      const list = byId.get(h.id);
      if (list) list.push(h);
      else byId.set(h.id, [h]);
    }
    for (const [n, part] of chunks(entities).entries()) {
      const entries = part.flatMap((e) => byId.get(e.id) ?? []);
      const payload = part.map((e) => ({
        id: e.id,
        types: e.types,
        attrs: e.attrs,
        geo: locationOf(e),
        createdAt: e.createdAt,
        modifiedAt: e.modifiedAt,
      }));
      const conflict =
        mode === 'insert'
          ? sql`ON CONFLICT (tenant, id) DO NOTHING`
          : sql`ON CONFLICT (tenant, id) DO UPDATE SET type = EXCLUDED.type, types = EXCLUDED.types,
              attrs = EXCLUDED.attrs, location = EXCLUDED.location, modified_at = EXCLUDED.modified_at`;
      const insert = sql`INSERT INTO ctx_entities (tenant, id, type, types, attrs, location, created_at, modified_at)
          SELECT ${tenant}, e->>'id', e->'types'->>0, ARRAY(SELECT jsonb_array_elements_text(e->'types')), e->'attrs',
            CASE WHEN e->>'geo' IS NOT NULL THEN ST_SetSRID(ST_GeomFromGeoJSON(e->>'geo'), 4326) END,
            (e->>'createdAt')::timestamptz, (e->>'modifiedAt')::timestamptz
          FROM jsonb_array_elements(${JSON.stringify(payload)}::jsonb) AS e
          ${conflict} RETURNING id`;
      await this.runWrite(on, tenant, insert, { entries, at: history.at }, n === 0 ? also : [], out);
    }
    return out;
  }

  /**
   * Writes entities' changes as UPDATEs of what differs from `before`, which must be the stored rows,
   * locked in this transaction: the attributes that changed are set (`||`), those gone are removed, and
   * types and location only when they changed. The stored rows end up exactly as `write` would leave
   * them, with less to send and parse than whole entities (a device's unchanged name and location are
   * not sent). One statement per 1,000 entities. History and `also` as in `write`.
   * `unchanged`: for one entity loaded unlocked (`loadVersioned`), its row version then and a condition
   * that must still hold; the row is written only if both do (else nothing is, and no id is returned).
   */
  async update(
    on: Executor,
    tenant: string,
    changes: { before: Entity; after: Entity }[],
    history: { entries: HistoryEntry[]; at: string },
    also: SQL[] = [],
    unchanged?: { version: string; guard: SQL },
  ): Promise<Written> {
    const out: Written = { ids: new Set<string>(), subscriptions: null };
    const byId = new Map<string, HistoryEntry[]>();
    for (const h of history.entries) {
      const list = byId.get(h.id);
      if (list) list.push(h);
      else byId.set(h.id, [h]);
    }
    for (const [n, part] of chunks(changes).entries()) {
      const payload = part.map(({ before, after }) => {
        // The plans copy unchanged attributes by reference, so an attribute that is not the same object
        // may have changed; writing one that did not is harmless.
        const set: Record<string, AttrSlot> = {};
        for (const [name, slot] of Object.entries(after.attrs))
          if (before.attrs[name] !== slot) set[name] = slot;
        const removed = Object.keys(before.attrs).filter((name) => !(name in after.attrs));
        const sameTypes = JSON.stringify(before.types) === JSON.stringify(after.types);
        const relocate = locationIri in set || removed.includes(locationIri);
        return {
          id: before.id,
          set,
          removed,
          modified: after.modifiedAt ?? null,
          types: sameTypes ? null : after.types,
          relocate,
          geo: relocate ? locationOf(after) : null,
        };
      });
      const update = sql`UPDATE ctx_entities e SET
          attrs = (e.attrs - ARRAY(SELECT jsonb_array_elements_text(x.removed))) || x.set,
          modified_at = x.modified,
          type = CASE WHEN x.types IS NULL THEN e.type ELSE x.types->>0 END,
          types = CASE WHEN x.types IS NULL THEN e.types ELSE ARRAY(SELECT jsonb_array_elements_text(x.types)) END,
          location = CASE WHEN NOT x.relocate THEN e.location
            WHEN x.geo IS NOT NULL THEN ST_SetSRID(ST_GeomFromGeoJSON(x.geo), 4326) END
        FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
          AS x(id text, set jsonb, removed jsonb, modified timestamptz, types jsonb, relocate boolean, geo text)
        WHERE e.tenant = ${tenant} AND e.id = x.id
          ${unchanged ? sql`AND e.xmin::text = ${unchanged.version} AND ${unchanged.guard}` : sql``}
        RETURNING e.id`;
      const entries = part.flatMap((c) => byId.get(c.before.id) ?? []);
      await this.runWrite(on, tenant, update, { entries, at: history.at }, n === 0 ? also : [], out);
    }
    return out;
  }

  /**
   * Runs one write statement (`write`'s INSERT or `update`'s UPDATE) with the history of the ids it
   * wrote and `also`, adding what it wrote to `out`.
   */
  private async runWrite(
    on: Executor,
    tenant: string,
    write: SQL,
    history: { entries: HistoryEntry[]; at: string },
    also: SQL[],
    out: Written,
  ): Promise<void> {
    const hist = history.entries.length
      ? historyInsert(tenant, history.entries, history.at, sql`WHERE h->>'id' IN (SELECT id FROM w)`)
      : null;
    const rows = await this.db.prepared<{ id: string; subs: string }>(
      writeStatement(tenant, write, hist, also),
      on,
    );
    for (const r of rows) {
      out.ids.add(r.id);
      out.subscriptions = r.subs;
    }
  }

  /** Deletes entities, recording each one's deletion (ctx_deleted_entities) in the same statement. */
  async remove(on: Executor, tenant: string, ids: string[], at: string): Promise<Set<string>> {
    const removed = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await this.db.rows<{ id: string }>(
        sql`WITH d AS (DELETE FROM ctx_entities WHERE tenant = ${tenant}
            AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(part)}::jsonb))
            RETURNING id, types, created_at)
          INSERT INTO ctx_deleted_entities (tenant, id, types, created_at, deleted_at)
          SELECT ${tenant}, id, types, created_at, ${at}::timestamptz FROM d
          ON CONFLICT (tenant, id) DO UPDATE SET types = EXCLUDED.types, created_at = EXCLUDED.created_at,
            deleted_at = EXCLUDED.deleted_at
          RETURNING id`,
        on,
      );
      for (const r of rows) removed.add(r.id);
    }
    return removed;
  }

  /** Appends attribute instances to the history, observed at their observedAt or now. */
  async appendHistory(on: Executor, tenant: string, entries: HistoryEntry[], now: string): Promise<void> {
    for (const part of chunks(entries, 5000)) await on.execute(historyInsert(tenant, part, now, sql``));
  }

  /**
   * Deletes history rows of an entity: all of them, one attribute's, or one attribute's instances of a
   * datasetId (`''` for the default instance). Returns how many rows went.
   */
  async deleteHistory(
    on: Executor,
    tenant: string,
    id: string,
    attr: string | null,
    datasetId: string | null,
  ): Promise<number> {
    const rows = await this.db.rows<{ n: number }>(
      sql`WITH d AS (DELETE FROM ctx_attr_history WHERE tenant = ${tenant} AND entity_id = ${id}
          ${attr === null ? sql`` : sql`AND attr = ${attr}`}
          ${datasetId === null ? sql`` : sql`AND COALESCE(instance->>'datasetId', '') = ${datasetId}`}
          RETURNING 1) SELECT count(*)::int AS n FROM d`,
      on,
    );
    return rows[0].n;
  }

  /** A deleted entity as the temporal API shows it: its types and times, no attributes; or undefined. */
  async loadDeleted(tenant: string, id: string): Promise<(Entity & { deletedAt: string }) | undefined> {
    const [row] = await this.db.rows<Entity & { deletedAt: string }>(
      sql`SELECT id, types, ${iso('created_at')} AS "createdAt", ${iso('deleted_at')} AS "deletedAt"
        FROM ctx_deleted_entities WHERE tenant = ${tenant} AND id = ${id}`,
    );
    return row ? { ...row, attrs: {} } : undefined;
  }

  /** Forgets an entity's deletion (its whole history went). Whether there was one. */
  async forgetDeleted(on: Executor, tenant: string, id: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`DELETE FROM ctx_deleted_entities WHERE tenant = ${tenant} AND id = ${id} RETURNING 1`,
      on,
    );
    return rows.length > 0;
  }

  async query(
    tenant: string,
    where: SQL,
    page: { limit: number; offset: number; orderBy: SQL },
  ): Promise<Entity[]> {
    return this.db.rows<Entity>(sql`SELECT ${entityColumns} FROM ctx_entities WHERE tenant = ${tenant} AND ${where}
      ORDER BY ${page.orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`);
  }

  /**
   * The entities of `where` together with the deleted ones it matches (ctx_deleted_entities, ids that do
   * not exist now), each deleted one with no attributes and its `deletedAt`, in one order and page. For
   * the temporal query; `where` may only test `id` and `types` (a condition on attributes or the location
   * cannot be asked of a deleted entity, and `!attr` would match every one).
   */
  async queryWithDeleted(
    tenant: string,
    where: SQL,
    page: { limit: number; offset: number; orderBy: SQL },
  ): Promise<(Entity & { deletedAt?: string })[]> {
    return this.db.rows<Entity & { deletedAt?: string }>(sql`SELECT id, types, attrs,
        ${iso('created_at')} AS "createdAt", ${iso('modified_at')} AS "modifiedAt", ${iso('deleted_at')} AS "deletedAt"
      FROM (${withDeleted(tenant, where)}) u
      ORDER BY ${page.orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`);
  }

  async countWithDeleted(tenant: string, where: SQL): Promise<number> {
    const [r] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM (${withDeleted(tenant, where)}) u`,
    );
    return r.n;
  }

  async count(tenant: string, where: SQL): Promise<number> {
    const [r] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_entities WHERE tenant = ${tenant} AND ${where}`,
    );
    return r.n;
  }

  /** Entity types with their attribute names and counts (for /types and /attributes). */
  async typeStats(tenant: string, where: SQL): Promise<{ type: string; attrs: string[]; count: number }[]> {
    return this.db.rows(sql`WITH sel AS (SELECT e.id, e.types, e.attrs FROM ctx_entities e WHERE e.tenant = ${tenant} AND ${where})
      SELECT t.type, count(DISTINCT s.id)::int AS count,
        COALESCE(array_agg(DISTINCT k.key) FILTER (WHERE k.key IS NOT NULL), ARRAY[]::text[]) AS attrs
      FROM sel s CROSS JOIN unnest(s.types) AS t(type) LEFT JOIN LATERAL jsonb_object_keys(s.attrs) AS k(key) ON true
      GROUP BY t.type ORDER BY t.type`);
  }

  /** Attribute names with the entity types that have them and their attribute types. */
  async attributeStats(
    tenant: string,
    where: SQL,
  ): Promise<{ attr: string; types: string[]; attrTypes: string[]; count: number }[]> {
    return this.db.rows(sql`SELECT a.key AS attr, count(DISTINCT e.id)::int AS count,
        array_agg(DISTINCT t) AS types,
        array_agg(DISTINCT COALESCE(a.value->>'type', a.value->0->>'type')) AS "attrTypes"
      FROM ctx_entities e, jsonb_each(e.attrs) a, unnest(e.types) t
      WHERE e.tenant = ${tenant} AND ${where} GROUP BY a.key ORDER BY a.key`);
  }

  /**
   * Aggregates one entity's history per attribute and period in SQL: the periods start at `from`
   * (else the first instance) and step by `period` up to `to` (else past the last instance); without
   * a period the whole range is one period. Periods without instances are left out.
   */
  async aggregate(
    tenant: string,
    id: string,
    q: {
      attrs: string[] | null;
      time: SQL;
      /** The time property's column the periods divide (observed_at unless `timeproperty` says). */
      column?: SQL;
      from: string | null;
      to: string | null;
      period: string | null;
      anonymous: boolean;
      maxPeriods: number;
    },
  ): Promise<{ rows: AggregateRow[]; periods: number }> {
    const attrFilter = q.attrs
      ? sql`AND attr IN (SELECT jsonb_array_elements_text(${JSON.stringify(q.attrs)}::jsonb))`
      : sql``;
    const personal = q.anonymous
      ? sql`AND (instance->(${personalIri}::text)->'value') IS DISTINCT FROM 'true'::jsonb`
      : sql``;
    const hist = sql`SELECT attr, instance->>'type' AS "attrType", COALESCE(instance->'value', instance->'object') AS v,
        ${q.column ?? sql.raw('observed_at')} AS observed_at FROM ctx_attr_history
      WHERE tenant = ${tenant} AND entity_id = ${id} ${attrFilter} ${personal} AND ${q.time}
        AND (instance->'deletedAt') IS NULL`;
    const bounds = sql`SELECT COALESCE(${q.from}::timestamptz, min(observed_at)) AS lo,
        COALESCE(${q.to}::timestamptz, max(observed_at) + interval '1 microsecond') AS hi FROM h`;
    // Counted arithmetically first (months as 30 days): generate_series in FROM materialises all its
    // rows, so a huge count must be refused before any series is made.
    const [n] = await this.db.rows<{ n: number }>(
      sql`WITH h AS (${hist}), bounds AS (${bounds})
        SELECT CASE WHEN lo IS NULL OR hi <= lo THEN 0
          WHEN ${q.period}::interval IS NULL THEN 1
          ELSE ceil(extract(epoch FROM hi - lo) / extract(epoch FROM ${q.period}::interval))::float8 END AS n
        FROM bounds`,
    );
    if (n.n > q.maxPeriods) return { rows: [], periods: n.n };
    const periods = q.period
      ? sql`SELECT s AS start, s + ${q.period}::interval AS stop FROM bounds,
          generate_series(lo, hi - interval '1 microsecond', ${q.period}::interval) AS s
          WHERE lo IS NOT NULL AND hi > lo`
      : sql`SELECT lo AS start, hi AS stop FROM bounds WHERE lo IS NOT NULL AND hi > lo`;
    const num = sql.raw(`CASE WHEN jsonb_typeof(h.v) = 'number' THEN (h.v #>> '{}')::float8 END`);
    const str = sql.raw(`CASE WHEN jsonb_typeof(h.v) = 'string' THEN h.v #>> '{}' END`);
    const rows =
      await this.db.rows<AggregateRow>(sql`WITH h AS (${hist}), bounds AS (${bounds}), p AS (${periods})
      SELECT h.attr, min(h."attrType") AS "attrType", ${iso('p.start')} AS start, ${iso('p.stop')} AS stop,
        count(*)::int AS "totalCount", count(DISTINCT h.v)::int AS "distinctCount",
        sum(${num}) AS sum, avg(${num}) AS avg, stddev_samp(${num}) AS stddev, sum(${num} * ${num}) AS sumsq,
        min(${num}) AS "minNumber", max(${num}) AS "maxNumber", min(${str}) AS "minText", max(${str}) AS "maxText"
      FROM p JOIN h ON h.observed_at >= p.start AND h.observed_at < p.stop
      GROUP BY h.attr, p.start, p.stop ORDER BY h.attr, p.start`);
    return { rows, periods: n.n };
  }

  /** Stores a new subscription; false when the id is taken. */
  async insertSubscription(on: Executor, tenant: string, body: SubscriptionBody, context: unknown) {
    const rows = await this.db.rows(
      sql`INSERT INTO ctx_subscriptions (tenant, id, body, context, is_active, expires_at, throttling, time_interval)
        VALUES (${tenant}, ${body.id}, ${JSON.stringify(body)}::jsonb, ${context === undefined ? null : JSON.stringify(context)}::jsonb,
          ${body.isActive ?? true}, ${body.expiresAt ?? null}::timestamptz, ${body.throttling ?? null}, ${body.timeInterval ?? null})
        ON CONFLICT (tenant, id) DO NOTHING RETURNING id`,
      on,
    );
    return rows.length === 1;
  }

  async updateSubscription(on: Executor, tenant: string, body: SubscriptionBody): Promise<void> {
    await on.execute(sql`UPDATE ctx_subscriptions SET body = ${JSON.stringify(body)}::jsonb,
        is_active = ${body.isActive ?? true}, expires_at = ${body.expiresAt ?? null}::timestamptz,
        throttling = ${body.throttling ?? null}, time_interval = ${body.timeInterval ?? null}, modified_at = now()
      WHERE tenant = ${tenant} AND id = ${body.id}`);
  }

  async subscription(
    on: Executor,
    tenant: string,
    id: string,
    lock = false,
  ): Promise<SubscriptionRow | null> {
    const [row] = await this.db.rows<SubscriptionRow>(
      sql`SELECT ${subscriptionColumns} FROM ctx_subscriptions WHERE tenant = ${tenant} AND id = ${id}
        ${lock ? sql`FOR UPDATE` : sql``}`,
      on,
    );
    return row ?? null;
  }

  async subscriptions(tenant: string, limit: number, offset: number): Promise<SubscriptionRow[]> {
    return this.db.rows<SubscriptionRow>(
      sql`SELECT ${subscriptionColumns} FROM ctx_subscriptions WHERE tenant = ${tenant}
        ORDER BY created_at, id LIMIT ${limit} OFFSET ${offset}`,
    );
  }

  async countSubscriptions(tenant: string): Promise<number> {
    const [r] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_subscriptions WHERE tenant = ${tenant}`,
    );
    return r.n;
  }

  async deleteSubscription(on: Executor, tenant: string, id: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`DELETE FROM ctx_subscriptions WHERE tenant = ${tenant} AND id = ${id} RETURNING id`,
      on,
    );
    return rows.length === 1;
  }

  /**
   * The tenant's change-driven subscriptions that are active and not expired (looked at by every write).
   * Given the version a write statement just read (`Written.subscriptions`), the list kept from the last
   * read is used while it is that version, so most writes need no query here; other processes' changes
   * to subscriptions change the version in the database, so they are seen at the next write.
   */
  async liveSubscriptions(
    on: Executor,
    tenant: string,
    version: string | null = null,
  ): Promise<LiveSubscription[]> {
    let kept = version === null ? undefined : this.live.get(tenant);
    if (kept === undefined || kept.version !== version) {
      const rows = await this.db.rows<LiveSubscription & { set: string; expires: number | null }>(
        sql`WITH v AS (SELECT ${subscriptionsVersion(tenant)} AS set)
          SELECT v.set, s.id, s.body, s.context, s.modified_at::text AS version,
            (extract(epoch FROM s.expires_at) * 1000)::float8 AS expires
          FROM v LEFT JOIN ctx_subscriptions s ON s.tenant = ${tenant} AND s.is_active AND s.time_interval IS NULL`,
        on,
      );
      kept = {
        version: rows[0].set,
        rows: rows
          .filter((r) => r.id !== null)
          .map(({ id, body, context, version, expires }) => ({ id, body, context, version, expires })),
      };
      if (this.live.size >= 1000) this.live.clear();
      this.live.set(tenant, kept);
    }
    return this.keptSubscriptions(tenant)?.rows ?? [];
  }

  /**
   * The tenant's live subscriptions as last read by `liveSubscriptions`, without a query (undefined if
   * never read), with the version they were read at: a write that relies on them being current adds
   * `subscriptionsAre(tenant, version)` to its statement.
   */
  keptSubscriptions(tenant: string): { version: string; rows: LiveSubscription[] } | undefined {
    const kept = this.live.get(tenant);
    if (!kept) return undefined;
    const now = Date.now();
    return {
      version: kept.version,
      rows: kept.rows
        .filter((r) => r.expires === null || r.expires > now)
        .map(({ id, body, context, version }) => ({ id, body, context, version })),
    };
  }

  /** A condition that the tenant's live subscriptions are still at `version`. */
  subscriptionsAre(tenant: string, version: string): SQL {
    return sql`${subscriptionsVersion(tenant)} = ${version}`;
  }

  /** Periodic subscriptions whose period has passed: their turn is taken (noted now) and they are returned. */
  async duePeriodic(on: Executor): Promise<(LiveSubscription & { tenant: string })[]> {
    return this.db.rows(
      sql`UPDATE ctx_subscriptions SET last_queued_at = now()
        WHERE (tenant, id) IN (SELECT tenant, id FROM ctx_subscriptions
          WHERE is_active AND time_interval IS NOT NULL AND (expires_at IS NULL OR expires_at > now())
            AND (last_queued_at IS NULL OR last_queued_at <= now() - make_interval(secs => time_interval))
          ORDER BY last_queued_at NULLS FIRST LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING tenant, id, body, context, modified_at::text AS version`,
      on,
    );
  }

  /** The entities a condition matches now, at most `limit`. */
  async matchingNow(on: Executor, tenant: string, where: SQL, limit: number): Promise<Entity[]> {
    return this.db.rows<Entity>(
      sql`SELECT ${entityColumns} FROM ctx_entities WHERE tenant = ${tenant} AND ${where} ORDER BY id LIMIT ${limit}`,
      on,
    );
  }

  /** One subscription if it is active and not expired, else null. */
  async liveSubscription(tenant: string, id: string): Promise<LiveSubscription | null> {
    const [row] = await this.db.rows<LiveSubscription>(
      sql`SELECT id, body, context, modified_at::text AS version FROM ctx_subscriptions WHERE tenant = ${tenant} AND id = ${id}
        AND is_active AND (expires_at IS NULL OR expires_at > now())`,
    );
    return row ?? null;
  }

  /** Which of `ids` meet a subscription's condition (type, id, idPattern, q, geoQ) as they are now. */
  async matching(on: Executor, tenant: string, ids: string[], where: SQL): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM ctx_entities WHERE tenant = ${tenant}
        AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) AND ${where}`,
      on,
    );
    return rows.map((r) => r.id);
  }

  /** The same for entities no longer stored (just deleted): `where` is checked on what they were. */
  async matchingGone(on: Executor, entities: Entity[], where: SQL): Promise<string[]> {
    const payload = entities.map((e) => ({ id: e.id, types: e.types, attrs: e.attrs, geo: locationOf(e) }));
    // The CTE stands in for the table, so the compiled condition reads the same columns.
    const rows = await this.db.rows<{ id: string }>(
      sql`WITH ctx_entities AS (
          SELECT e->>'id' AS id, ARRAY(SELECT jsonb_array_elements_text(e->'types')) AS types, e->'attrs' AS attrs,
            CASE WHEN e->>'geo' IS NOT NULL THEN ST_SetSRID(ST_GeomFromGeoJSON(e->>'geo'), 4326) END AS location
          FROM jsonb_array_elements(${JSON.stringify(payload)}::jsonb) AS e)
        SELECT id FROM ctx_entities WHERE ${where}`,
      on,
    );
    return rows.map((r) => r.id);
  }

  /** Takes a throttled subscription's turn: true (and the time noted) if `seconds` have passed since the last. */
  async takeThrottleTurn(on: Executor, tenant: string, id: string, seconds: number): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE ctx_subscriptions SET last_queued_at = now()
        WHERE tenant = ${tenant} AND id = ${id} AND (last_queued_at IS NULL
          OR last_queued_at <= now() - make_interval(secs => ${seconds})) RETURNING id`,
      on,
    );
    return rows.length === 1;
  }

  /**
   * Pauses a subscription the broker can no longer compile (e.g. its @context cannot be resolved any
   * more), noting why as its last failure, so its owner sees it and the tenant's writes go on.
   */
  async pauseBroken(tenant: string, id: string, reason: string, on: Executor = this.db.orm): Promise<void> {
    await on.execute(sql`UPDATE ctx_subscriptions SET is_active = false,
        body = jsonb_set(body, '{isActive}', 'false'::jsonb), modified_at = now(),
        last_failure = now(), last_failure_reason = ${`paused: ${reason}`.slice(0, 500)}
      WHERE tenant = ${tenant} AND id = ${id}`);
  }

  /** Notes a notification attempt on its subscription: a success, or a failure and its reason. */
  async recordNotification(tenant: string, id: string, failure: string | null): Promise<void> {
    await this.db.orm.execute(
      failure === null
        ? sql`UPDATE ctx_subscriptions SET times_sent = times_sent + 1, last_notification = now(),
            last_success = now() WHERE tenant = ${tenant} AND id = ${id}`
        : sql`UPDATE ctx_subscriptions SET times_sent = times_sent + 1, times_failed = times_failed + 1,
            last_notification = now(), last_failure = now(), last_failure_reason = ${failure.slice(0, 500)}
          WHERE tenant = ${tenant} AND id = ${id}`,
    );
  }
}
