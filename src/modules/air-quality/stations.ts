import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { pollutants } from './aqi.ts';
import type { DailyMean, HourlyMean } from './averages.ts';

/** An air-quality station as the public sees it: a sensor of the city network, no owner details. */
export interface Station {
  id: string;
  name: string;
  zoneCode: string | null;
  lon: number;
  lat: number;
  synthetic: boolean;
  lastSeenAt: string | null;
}

const pollutantList = sql.raw(pollutants.map((p) => `'${p}'`).join(', '));

/**
 * Stations are the devices whose profile measures an air pollutant or publishes AirQualityObserved
 * entities, read from the sensor registry rather than kept twice.
 */
export async function listStations(db: Db, id?: string): Promise<Station[]> {
  return db.rows<Station>(sql`
    SELECT d.id, d.name, d.zone_code AS "zoneCode", ST_X(d.location) AS lon, ST_Y(d.location) AS lat,
      d.synthetic, to_json(d.last_seen_at)#>>'{}' AS "lastSeenAt"
    FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
    WHERE (p.entity_type = 'AirQualityObserved'
      OR EXISTS (SELECT 1 FROM jsonb_array_elements(p.quantities) q WHERE q->>'quantity' IN (${pollutantList})))
      ${id === undefined ? sql`` : sql`AND d.id = ${id}::uuid`}
    ORDER BY d.name, d.id`);
}

/** Hourly means of the pollutants of some stations over [from, to). */
export async function hourlyMeans(
  db: Db,
  stationIds: string[],
  from: Date,
  to: Date,
): Promise<(HourlyMean & { stationId: string })[]> {
  if (stationIds.length === 0) return [];
  const rows = await db.rows<HourlyMean & { stationId: string }>(sql`
    SELECT device_id AS "stationId", quantity AS pollutant,
      to_char(date_trunc('hour', observed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') AS hour,
      avg(value)::float8 AS mean
    FROM dev_readings
    WHERE device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(stationIds)}::jsonb)::uuid)
      AND quantity IN (${pollutantList})
      AND observed_at >= ${from.toISOString()}::timestamptz AND observed_at < ${to.toISOString()}::timestamptz
    GROUP BY 1, 2, 3
    ORDER BY 3`);
  return rows;
}

/**
 * Daily means of PM2.5 and PM10 per station and Bangkok calendar day over the Bangkok days
 * [fromDay, toDay], each the mean of that day's hourly means, with the hours it rests on.
 */
export async function dailyMeans(
  db: Db,
  stationIds: string[],
  fromDay: string,
  toDay: string,
): Promise<DailyMean[]> {
  if (stationIds.length === 0) return [];
  return db.rows<DailyMean>(sql`
    WITH h AS (
      SELECT device_id, quantity, date_trunc('hour', observed_at) AS hour, avg(value) AS v
      FROM dev_readings
      WHERE device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(stationIds)}::jsonb)::uuid)
        AND quantity IN ('pm25', 'pm10')
        AND observed_at >= (${fromDay}::date::timestamp AT TIME ZONE 'Asia/Bangkok')
        AND observed_at < ((${toDay}::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')
      GROUP BY 1, 2, 3)
    SELECT device_id AS "stationId", quantity AS pollutant,
      to_char((hour AT TIME ZONE 'Asia/Bangkok')::date, 'YYYY-MM-DD') AS day,
      count(*)::int AS hours, avg(v)::float8 AS mean
    FROM h GROUP BY 1, 2, 3 ORDER BY 3`);
}
