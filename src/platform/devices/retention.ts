import { type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import { levelNames, levels } from './rollups.ts';

export interface RetentionResult {
  /** Monthly partitions of readings dropped whole. */
  droppedPartitions: string[];
  /** Raw readings deleted row by row (where a partition also holds rows still kept). */
  deletedReadings: number;
  /** Rollup buckets deleted, all levels together. */
  deletedBuckets: number;
}

/** `days` before `now`; `now` is a parameter so that tests can move it. */
const cutoff = (days: SQL | number, now: Date) =>
  sql`${now.toISOString()}::timestamptz - make_interval(days => ${days})`;

/**
 * Applies each device profile's retention: raw readings older than `raw_retention_days`, rollup buckets
 * that start before `rollup_retention_days` ago; NULL keeps forever. A monthly partition that ends before
 * every profile's raw cut (and no profile keeps raw forever) is dropped whole; otherwise old rows are
 * deleted, and a monthly partition left empty is dropped too. Rollups are never touched by the raw cut.
 */
export async function applyRetention(db: Db, now = new Date()): Promise<RetentionResult> {
  const [limits] = await db.rows<{ longest: number | null; shortest: number | null; forever: boolean }>(
    sql`SELECT max(raw_retention_days) AS longest, min(raw_retention_days) AS shortest,
        bool_or(raw_retention_days IS NULL) AS forever
      FROM dev_profiles p WHERE EXISTS (SELECT 1 FROM dev_devices d WHERE d.profile_id = p.id)`,
  );
  const droppedPartitions: string[] = [];
  let deletedReadings = 0;
  if (limits.shortest !== null) {
    // Whole partitions first: no row in one that ends before the longest retention is kept.
    if (!limits.forever && limits.longest !== null)
      droppedPartitions.push(...(await dropPartitions(db, cutoff(limits.longest, now), false)));
    const [deleted] = await db.rows<{ n: number }>(
      sql`WITH gone AS (
          DELETE FROM dev_readings r USING dev_devices d, dev_profiles p
          WHERE d.id = r.device_id AND p.id = d.profile_id AND p.raw_retention_days IS NOT NULL
            AND r.observed_at < ${cutoff(sql.raw('p.raw_retention_days'), now)}
            -- a constant bound lets the planner skip recent partitions
            AND r.observed_at < ${cutoff(limits.shortest, now)}
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
    );
    deletedReadings = deleted.n;
    droppedPartitions.push(...(await dropPartitions(db, cutoff(limits.shortest, now), true)));
  }
  let deletedBuckets = 0;
  for (const name of levelNames) {
    const [deleted] = await db.rows<{ n: number }>(
      sql`WITH gone AS (
          DELETE FROM ${levels[name].table} b USING dev_devices d, dev_profiles p
          WHERE d.id = b.device_id AND p.id = d.profile_id AND p.rollup_retention_days IS NOT NULL
            AND b.bucket < ${cutoff(sql.raw('p.rollup_retention_days'), now)}
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
    );
    deletedBuckets += deleted.n;
  }
  return { droppedPartitions, deletedReadings, deletedBuckets };
}

/** Monthly partitions of readings that end at or before `before`; only the empty ones when `emptyOnly`. */
async function dropPartitions(db: Db, before: SQL, emptyOnly: boolean): Promise<string[]> {
  const parts = await db.rows<{ name: string }>(
    sql`SELECT name FROM (
        SELECT c.relname AS name,
          substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')::timestamptz AS ends
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'dev_readings'::regclass AND c.relname ~ '^dev_readings_[0-9]{4}_[0-9]{2}$') x
      WHERE ends <= ${before} ORDER BY name`,
  );
  const dropped: string[] = [];
  for (const { name } of parts) {
    const table = sql.raw(`"${name}"`);
    const gone = await db.transaction(async (tx) => {
      if (emptyOnly) {
        const rows = await db.rows(sql`SELECT 1 FROM ${table} LIMIT 1`, tx);
        if (rows.length) return false;
      }
      await tx.execute(sql`ALTER TABLE dev_readings DETACH PARTITION ${table}`);
      await tx.execute(sql`DROP TABLE ${table}`);
      return true;
    });
    if (gone) dropped.push(name);
  }
  return dropped;
}

/** Runs `applyRetention` now and then (hourly by default) until stopped; one run at a time. */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(everyMs = 3600_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = applyRetention(this.db)
        .then((r) => {
          if (r.droppedPartitions.length || r.deletedReadings || r.deletedBuckets)
            this.log.info(r, 'device data retention applied');
        })
        .catch((err) => this.log.error({ err }, 'device data retention failed'))
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
