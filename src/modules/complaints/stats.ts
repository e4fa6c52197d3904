import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';

/** Bangkok has no daylight saving: a Thai date or month is the UTC instant shifted by 7 hours. */
const bangkok = (column: SQL) => sql`(${column} AT TIME ZONE 'UTC' + interval '7 hours')`;

export interface Count {
  key: string;
  count: number;
}

export interface ComplaintStats {
  from: string;
  to: string;
  total: number;
  resolved: number;
  byCategory: Count[];
  byOffice: Count[];
  byZone: Count[];
  byMonth: { month: string; count: number; resolved: number }[];
  /** Median calendar hours from filing to the (latest) resolution, over requests resolved. */
  medianHoursToResolve: number | null;
  /** Of the resolved requests that had a due time, the share resolved by it (0–1). */
  withinSla: { share: number | null; onTime: number; measured: number };
  satisfaction: { average: number | null; ratings: number };
}

/** Thai calendar date (YYYY-MM-DD) → the UTC instant of its midnight in Bangkok. */
const startOfThaiDay = (day: string) => new Date(`${day}T00:00:00+07:00`).toISOString();

/**
 * Public statistics of requests filed between two Thai dates (both included). One pass for the
 * totals (percentile_cont for the median) and one grouped pass per breakdown; no personal data.
 */
export async function complaintStats(db: Db, from: string, to: string): Promise<ComplaintStats> {
  const start = startOfThaiDay(from);
  const end = new Date(new Date(startOfThaiDay(to)).getTime() + 86_400_000).toISOString();
  const within = sql`r.created_at >= ${start}::timestamptz AND r.created_at < ${end}::timestamptz`;
  const [totals] = await db.rows<{
    total: number;
    resolved: number;
    median: number | null;
    onTime: number;
    measured: number;
    average: number | null;
    ratings: number;
  }>(sql`SELECT count(*)::int AS total,
      count(r.resolved_at)::int AS resolved,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.resolved_at - r.created_at) / 3600)
        FILTER (WHERE r.resolved_at IS NOT NULL) AS median,
      count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.due_at IS NOT NULL AND r.resolved_at <= r.due_at)::int AS "onTime",
      count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.due_at IS NOT NULL)::int AS measured,
      avg(r.rating)::float8 AS average,
      count(r.rating)::int AS ratings
    FROM complaints_requests r WHERE ${within}`);
  const grouped = (key: SQL, join = sql``) =>
    db.rows<Count>(
      sql`SELECT ${key} AS key, count(*)::int AS count FROM complaints_requests r ${join}
        WHERE ${within} GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
  const [byCategory, byOffice, byZone, byMonth] = await Promise.all([
    grouped(sql`r.category_code`),
    grouped(sql`o.code`, sql`JOIN core_offices o ON o.id = r.office_id`),
    grouped(sql`z.code`, sql`JOIN core_zones z ON z.id = r.zone_id`),
    db.rows<{ month: string; count: number; resolved: number }>(
      sql`SELECT to_char(${bangkok(sql`r.created_at`)}, 'YYYY-MM') AS month, count(*)::int AS count,
          count(r.resolved_at)::int AS resolved
        FROM complaints_requests r WHERE ${within} GROUP BY 1 ORDER BY 1`,
    ),
  ]);
  const round = (n: number | null, digits: number) => (n === null ? null : Number(Number(n).toFixed(digits)));
  return {
    from,
    to,
    total: totals.total,
    resolved: totals.resolved,
    byCategory,
    byOffice,
    byZone,
    byMonth,
    medianHoursToResolve: round(totals.median, 2),
    withinSla: {
      share: totals.measured ? round(totals.onTime / totals.measured, 4) : null,
      onTime: totals.onTime,
      measured: totals.measured,
    },
    satisfaction: { average: round(totals.average, 2), ratings: totals.ratings },
  };
}

/** KPI inputs over the last 365 days (Governance dimension). */
export async function kpiStats(db: Db) {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 7 * 3_600_000 - 365 * 86_400_000).toISOString().slice(0, 10);
  return complaintStats(db, from, today);
}
