import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';

/** The quantities an energy device reports: cumulative counters in kWh (docs/modules/energy.md). */
export const counterQuantities = ['energyGenerated', 'energyImported', 'energyExported'] as const;
export type CounterQuantity = (typeof counterQuantities)[number];

export interface DailyEnergy {
  deviceId: string;
  quantity: CounterQuantity;
  /** Asia/Bangkok calendar day. */
  day: string;
  kwh: number;
}

const quantityList = sql.raw(counterQuantities.map((q) => `'${q}'`).join(', '));

/**
 * Energy per device, counter and Bangkok day over [fromDay, toDay], from cumulative kWh counters.
 *
 * Each pair of consecutive readings is one interval; its energy is the counter's rise, or the new
 * value itself when the counter went down (a reset or replaced meter counts up again from zero).
 * An interval's energy is spread evenly over its duration, so an interval across midnight or a gap
 * of several days gives each day its share and a gap loses nothing. The last reading before the
 * range and the first after it are read too, so the range's edges get their share as well.
 */
export async function dailyEnergy(
  db: Db,
  deviceIds: string[],
  fromDay: string,
  toDay: string,
): Promise<DailyEnergy[]> {
  if (deviceIds.length === 0) return [];
  return db.rows<DailyEnergy>(sql`
    WITH keys AS (
      SELECT d::uuid AS device_id, q AS quantity
      FROM jsonb_array_elements_text(${JSON.stringify(deviceIds)}::jsonb) d, unnest(ARRAY[${quantityList}]) q),
    bounds AS (
      SELECT (${fromDay}::date::timestamp AT TIME ZONE 'Asia/Bangkok') AS lo,
        ((${toDay}::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok') AS hi),
    r AS (
      SELECT x.device_id, x.quantity, x.observed_at, x.value
      FROM dev_readings x, bounds b
      WHERE x.device_id IN (SELECT device_id FROM keys) AND x.quantity IN (${quantityList})
        AND x.observed_at >= b.lo AND x.observed_at < b.hi
      UNION ALL
      SELECT k.device_id, k.quantity, p.observed_at, p.value
      FROM keys k CROSS JOIN bounds b CROSS JOIN LATERAL (
        SELECT observed_at, value FROM dev_readings x
        WHERE x.device_id = k.device_id AND x.quantity = k.quantity AND x.observed_at < b.lo
        ORDER BY observed_at DESC LIMIT 1) p
      UNION ALL
      SELECT k.device_id, k.quantity, p.observed_at, p.value
      FROM keys k CROSS JOIN bounds b CROSS JOIN LATERAL (
        SELECT observed_at, value FROM dev_readings x
        WHERE x.device_id = k.device_id AND x.quantity = k.quantity AND x.observed_at >= b.hi
        ORDER BY observed_at LIMIT 1) p),
    iv AS (
      SELECT device_id, quantity, lag(observed_at) OVER w AS t0, observed_at AS t1,
        CASE WHEN value >= lag(value) OVER w THEN value - lag(value) OVER w ELSE value END AS kwh
      FROM r WINDOW w AS (PARTITION BY device_id, quantity ORDER BY observed_at)),
    parts AS (
      SELECT device_id, quantity, day::date AS day,
        kwh * extract(epoch FROM least(t1, (day::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')
          - greatest(t0, day::date::timestamp AT TIME ZONE 'Asia/Bangkok')) / extract(epoch FROM t1 - t0) AS kwh
      FROM iv CROSS JOIN LATERAL generate_series(
        (t0 AT TIME ZONE 'Asia/Bangkok')::date::timestamp,
        ((t1 - interval '1 microsecond') AT TIME ZONE 'Asia/Bangkok')::date::timestamp,
        interval '1 day') AS day
      WHERE t0 IS NOT NULL AND kwh > 0)
    SELECT device_id AS "deviceId", quantity, to_char(day, 'YYYY-MM-DD') AS day, sum(kwh)::float8 AS kwh
    FROM parts WHERE day BETWEEN ${fromDay}::date AND ${toDay}::date
    GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`);
}
