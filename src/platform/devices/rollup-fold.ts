import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../../core/db/index.ts';
import { foldColumns, type Level, levels } from './rollups.ts';

interface Key {
  device_id: string;
  quantity: string;
  bucket: string;
}

/** The 5-minute rows one fold transaction takes at most; the job runs folds until none is left. */
export const foldLimit = 50_000;

/**
 * Recomputes the `to` buckets listed in `keys` from the rows of the level below (`from`), replacing
 * what is stored, and returns the keys of the `next` level's buckets they fall in. A recomputation, not
 * an increment: folding the same bucket twice gives the same row.
 */
async function refold(db: Db, tx: Executor, from: Level, to: Level, keys: Key[], next?: Level) {
  if (!keys.length) return [];
  const t = levels[to];
  const upsert = sql`INSERT INTO ${t.table} AS t (device_id, quantity, bucket, count, min, max, sum, last_value, last_at)
    SELECT k.device_id, k.quantity, k.bucket, ${foldColumns}
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(device_id uuid, quantity text, bucket timestamptz)
    JOIN ${levels[from].table} m ON m.device_id = k.device_id AND m.quantity = k.quantity
      AND m.bucket >= k.bucket AND m.bucket < k.bucket + ${t.span}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (device_id, quantity, bucket) DO UPDATE SET count = EXCLUDED.count, min = EXCLUDED.min,
      max = EXCLUDED.max, sum = EXCLUDED.sum, last_value = EXCLUDED.last_value, last_at = EXCLUDED.last_at
    RETURNING device_id, quantity, bucket`;
  if (!next) {
    await tx.execute(upsert);
    return [];
  }
  return db.rows<Key>(
    sql`WITH u AS (${upsert})
      SELECT DISTINCT device_id, quantity, to_json(${levels[next].bucket(sql`bucket`)})#>>'{}' AS bucket FROM u`,
    tx,
  );
}

/**
 * One fold, in the caller's transaction: takes (locks, in the order the ingest locks them) up to `limit`
 * 5-minute rows marked dirty, clears the mark, and recomputes their hours from the 5-minute level and
 * then their days from the hour level. Crash-safe: the mark is cleared in the transaction that writes
 * the hours and days, so a fold that does not commit leaves it for the next. A reading committed while
 * a fold runs marks its 5-minute row dirty again (its write waits for the fold's lock, or the fold does
 * not see it), so the next fold takes it: late readings into an hour already folded are folded again.
 * The single `dev_rollup_fold` row (made by the first fold), locked first, keeps folds of several processes from overlapping.
 * Returns how many 5-minute rows were taken.
 */
export async function foldOnce(db: Db, tx: Executor, limit = foldLimit): Promise<number> {
  await tx.execute(sql`INSERT INTO dev_rollup_fold (id) VALUES (true) ON CONFLICT (id) DO NOTHING`);
  await tx.execute(sql`SELECT 1 FROM dev_rollup_fold FOR UPDATE`);
  // A statement of its own: the hours below are read in a snapshot taken after every writer whose row
  // this had to wait for has committed.
  const hours = await db.rows<Key & { n: number }>(
    sql`WITH k AS (
        SELECT device_id, quantity, bucket FROM dev_rollups_5m WHERE dirty
        ORDER BY device_id, quantity, bucket LIMIT ${limit} FOR UPDATE),
      c AS (
        UPDATE dev_rollups_5m t SET dirty = false FROM k
        WHERE t.device_id = k.device_id AND t.quantity = k.quantity AND t.bucket = k.bucket
        RETURNING t.device_id, t.quantity, t.bucket)
      SELECT device_id, quantity, to_json(${levels['1h'].bucket(sql`bucket`)})#>>'{}' AS bucket, count(*)::int AS n
      FROM c GROUP BY 1, 2, 3`,
    tx,
  );
  const taken = hours.reduce((s, h) => s + h.n, 0);
  const days = await refold(
    db,
    tx,
    '5m',
    '1h',
    hours.map(({ n: _, ...k }) => k),
    '1d',
  );
  await refold(db, tx, '1h', '1d', days);
  await tx.execute(sql`UPDATE dev_rollup_fold SET folded_at = now(), rows_folded = rows_folded + ${taken}`);
  return taken;
}

/** Folds until no dirty 5-minute row is left, one transaction per `limit` rows. Returns the rows taken. */
export async function foldRollups(db: Db, limit = foldLimit): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction((tx) => foldOnce(db, tx, limit));
    total += n;
    if (n < limit) return total;
  }
}

/** Runs `foldRollups` now and then (every minute by default) until stopped; one run at a time. */
export class RollupFoldJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(everyMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  /** One run now (or the one under way). */
  run(): Promise<void> {
    this.running ??= foldRollups(this.db)
      .then((n) => this.log.debug({ rows: n }, 'rollups folded'))
      .catch((err) => this.log.error({ err }, 'rollup fold failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
