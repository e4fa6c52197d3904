import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';

/** A stored resolution: raw readings, or one of the rollup levels. */
export type Resolution = 'raw' | '5m' | '1h' | '1d';
export type Level = Exclude<Resolution, 'raw'>;

/**
 * The rollup levels, finest first: table, bucket length (`span` as SQL), and how a time maps to its
 * bucket's start. Every level's buckets are whole buckets of the level below (5-minute buckets within an
 * hour, hours within a Bangkok day: UTC+7, no daylight saving).
 */
export const levels: Record<Level, { table: SQL; ms: number; span: SQL; bucket: (t: SQL) => SQL }> = {
  '5m': {
    table: sql.raw('dev_rollups_5m'),
    ms: 5 * 60_000,
    span: sql.raw(`interval '5 minutes'`),
    bucket: (t) => sql`date_bin('5 minutes', ${t}, timestamptz '2000-01-01 00:00:00+00')`,
  },
  '1h': {
    table: sql.raw('dev_rollups_1h'),
    ms: 3600_000,
    span: sql.raw(`interval '1 hour'`),
    bucket: (t) => sql`date_trunc('hour', ${t}, 'UTC')`,
  },
  // The city's day: Bangkok midnight, whatever the session's time zone.
  '1d': {
    table: sql.raw('dev_rollups_1d'),
    ms: 86_400_000,
    span: sql.raw(`interval '24 hours'`),
    bucket: (t) => sql`date_trunc('day', ${t}, 'Asia/Bangkok')`,
  },
};
export const levelNames = Object.keys(levels) as Level[];

/**
 * A data-modifying CTE that folds the rows of CTE `source` (device_id, quantity, observed_at, value: the
 * rows an INSERT … RETURNING actually inserted, so a dropped duplicate never counts) into the 5-minute
 * rollups, one set-based upsert, and marks each bucket it touches `dirty`: the hour and day levels are
 * recomputed from it by the fold (rollup-fold.ts), not here, so a batch writes one rollup row per
 * reading group, not three. Groups are sorted so that concurrent writers (and the fold) lock rollup rows
 * in the same order. `last` moves only to a later observed time, so a late reading cannot overwrite it.
 */
export function rollupUpserts(source: string): SQL {
  const from = sql.raw(source);
  return sql`rollup_5m AS (
      INSERT INTO dev_rollups_5m AS t (device_id, quantity, bucket, count, min, max, sum, last_value, last_at, dirty)
      SELECT device_id, quantity, ${levels['5m'].bucket(sql`observed_at`)}, count(*), min(value), max(value), sum(value),
        (array_agg(value ORDER BY observed_at DESC))[1], max(observed_at), true
      FROM ${from} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (device_id, quantity, bucket) DO UPDATE SET
        count = t.count + EXCLUDED.count,
        min = LEAST(t.min, EXCLUDED.min),
        max = GREATEST(t.max, EXCLUDED.max),
        sum = t.sum + EXCLUDED.sum,
        last_value = CASE WHEN EXCLUDED.last_at > t.last_at THEN EXCLUDED.last_value ELSE t.last_value END,
        last_at = GREATEST(t.last_at, EXCLUDED.last_at),
        dirty = true)`;
}

/** The aggregate of rollup rows `m` of a finer level, as the columns of one coarser bucket. */
export const foldColumns = sql`sum(m.count) AS count, min(m.min) AS min, max(m.max) AS max, sum(m.sum) AS sum,
  (array_agg(m.last_value ORDER BY m.last_at DESC))[1] AS last_value, max(m.last_at) AS last_at`;

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

/**
 * A device's buckets at `level` overlapping [from, to), oldest first. An hour or day bucket that holds a
 * 5-minute bucket not folded yet (`dirty`) is aggregated here from the 5-minute rows, so an answer is
 * never older than the readings stored; the stored row is used for every other bucket.
 */
export function rollupSeries(db: Db, deviceId: string, level: Level, r: Range & { limit: number }) {
  const l = levels[level];
  const start = l.bucket(sql`${r.from}::timestamptz`);
  const stored = sql`SELECT quantity, bucket, count, min, max, sum, last_value, last_at FROM ${l.table}
    WHERE device_id = ${deviceId} AND bucket >= ${start} AND bucket < ${r.to}::timestamptz ${inQuantity(r.quantity)}`;
  const rows =
    level === '5m'
      ? stored
      : sql`WITH pending AS (
            SELECT DISTINCT quantity, ${l.bucket(sql`bucket`)} AS b FROM dev_rollups_5m
            WHERE device_id = ${deviceId} AND dirty AND bucket >= ${start}
              AND bucket < ${r.to}::timestamptz + ${l.span} ${inQuantity(r.quantity)}),
          fresh AS (
            SELECT m.quantity, p.b AS bucket, ${foldColumns}
            FROM pending p JOIN dev_rollups_5m m ON m.device_id = ${deviceId} AND m.quantity = p.quantity
              AND m.bucket >= p.b AND m.bucket < p.b + ${l.span}
            WHERE p.b < ${r.to}::timestamptz GROUP BY 1, 2)
          SELECT * FROM (${stored}) s WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.quantity = s.quantity AND p.b = s.bucket)
          UNION ALL SELECT * FROM fresh`;
  return db.rows<Bucket>(
    sql`SELECT quantity, to_json(bucket)#>>'{}' AS "observedAt", sum / count AS value, min, max,
        count::int AS count, last_value AS last, to_json(last_at)#>>'{}' AS "lastAt"
      FROM (${rows}) x ORDER BY bucket, quantity LIMIT ${r.limit}`,
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
