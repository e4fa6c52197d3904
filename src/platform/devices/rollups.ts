import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';

/** A stored resolution: raw readings, or one of the rollup levels. */
export type Resolution = 'raw' | '5m' | '1h' | '1d';
export type Level = Exclude<Resolution, 'raw'>;

/** The rollup levels, finest first: table, bucket length and how a time maps to its bucket's start. */
export const levels: Record<Level, { table: SQL; ms: number; bucket: (t: SQL) => SQL }> = {
  '5m': {
    table: sql.raw('dev_rollups_5m'),
    ms: 5 * 60_000,
    bucket: (t) => sql`date_bin('5 minutes', ${t}, timestamptz '2000-01-01 00:00:00+00')`,
  },
  '1h': {
    table: sql.raw('dev_rollups_1h'),
    ms: 3600_000,
    bucket: (t) => sql`date_trunc('hour', ${t}, 'UTC')`,
  },
  // The city's day: Bangkok midnight, whatever the session's time zone.
  '1d': {
    table: sql.raw('dev_rollups_1d'),
    ms: 86_400_000,
    bucket: (t) => sql`date_trunc('day', ${t}, 'Asia/Bangkok')`,
  },
};
export const levelNames = Object.keys(levels) as Level[];

/**
 * Data-modifying CTEs that fold the rows of CTE `source` (device_id, quantity, observed_at, value: the
 * rows an INSERT … RETURNING actually inserted, so a dropped duplicate never counts) into every rollup
 * level, one set-based upsert per level. Groups are sorted so that concurrent writers lock rollup rows
 * in the same order. `last` moves only to a later observed time, so a late reading cannot overwrite it.
 */
export function rollupUpserts(source: string): SQL {
  const from = sql.raw(source);
  const parts = levelNames.map(
    (name) => sql`${sql.raw(`rollup_${name}`)} AS (
      INSERT INTO ${levels[name].table} AS t (device_id, quantity, bucket, count, min, max, sum, last_value, last_at)
      SELECT device_id, quantity, ${levels[name].bucket(sql`observed_at`)}, count(*), min(value), max(value), sum(value),
        (array_agg(value ORDER BY observed_at DESC))[1], max(observed_at)
      FROM ${from} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (device_id, quantity, bucket) DO UPDATE SET
        count = t.count + EXCLUDED.count,
        min = LEAST(t.min, EXCLUDED.min),
        max = GREATEST(t.max, EXCLUDED.max),
        sum = t.sum + EXCLUDED.sum,
        last_value = CASE WHEN EXCLUDED.last_at > t.last_at THEN EXCLUDED.last_value ELSE t.last_value END,
        last_at = GREATEST(t.last_at, EXCLUDED.last_at))`,
  );
  return sql.join(parts, sql`, `);
}

/** One bucket of a rollup series; `value` is the average, so a client that only knows raw points still draws a line. */
export interface Bucket {
  quantity: string;
  observedAt: string;
  value: number;
  min: number;
  max: number;
  count: number;
  last: number;
  lastAt: string;
}

interface Range {
  from: string;
  to: string;
  quantity?: string;
}

const inQuantity = (q?: string) => (q ? sql`AND quantity = ${q}` : sql``);

/** A device's buckets at `level` overlapping [from, to), oldest first. */
export function rollupSeries(db: Db, deviceId: string, level: Level, r: Range & { limit: number }) {
  const l = levels[level];
  return db.rows<Bucket>(
    sql`SELECT quantity, to_json(bucket)#>>'{}' AS "observedAt", sum / count AS value, min, max,
        count::int AS count, last_value AS last, to_json(last_at)#>>'{}' AS "lastAt"
      FROM ${l.table}
      WHERE device_id = ${deviceId} AND bucket >= ${l.bucket(sql`${r.from}::timestamptz`)} AND bucket < ${r.to}::timestamptz
        ${inQuantity(r.quantity)}
      ORDER BY bucket, quantity LIMIT ${r.limit}`,
  );
}

/**
 * The most readings any one quantity has in [from, to), counted from the 5-minute rollups (whole
 * buckets, so a slight over-estimate at the edges), and whether raw readings still cover `from`.
 */
export async function rawEstimate(
  db: Db,
  deviceId: string,
  r: Range,
): Promise<{ points: number; rawKept: boolean }> {
  const l = levels['5m'];
  const [row] = await db.rows<{ points: number; rawKept: boolean }>(
    sql`SELECT COALESCE((SELECT max(n) FROM (
          SELECT sum(count)::float8 AS n FROM ${l.table}
          WHERE device_id = ${deviceId} AND bucket >= ${l.bucket(sql`${r.from}::timestamptz`)} AND bucket < ${r.to}::timestamptz
            ${inQuantity(r.quantity)}
          GROUP BY quantity) q), 0)::float8 AS points,
        COALESCE((SELECT p.raw_retention_days IS NULL OR ${r.from}::timestamptz >= now() - make_interval(days => p.raw_retention_days)
          FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id WHERE d.id = ${deviceId}), true) AS "rawKept"`,
  );
  return { points: Number(row.points), rawKept: row.rawKept };
}

/** Enough points for a chart a few hundred pixels wide, few enough to send at once. */
export const targetPoints = 300;

/**
 * The resolution `auto` reads: raw while no quantity has more than `targetPoints` readings in the range
 * (and raw readings are still kept), else the finest rollup with at most `targetPoints` buckets.
 */
export function chooseResolution(spanMs: number, rawPoints: number, rawKept: boolean): Resolution {
  if (rawKept && rawPoints <= targetPoints) return 'raw';
  for (const name of levelNames) if (Math.ceil(spanMs / levels[name].ms) <= targetPoints) return name;
  return '1d';
}
