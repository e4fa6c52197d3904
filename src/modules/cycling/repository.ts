import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { LaneProperties } from './schemas.ts';

/** A lane ready to store: names, kind and a MultiLineString (2-D, WGS 84) as GeoJSON. */
export interface NewLane {
  nameTh: string;
  nameEn: string;
  kind: string;
  geometry: { type: 'MultiLineString'; coordinates: number[][][] };
}

export interface Counter {
  id: string;
  name: string;
  lon: number;
  lat: number;
  synthetic: boolean;
  lastSeenAt: string | null;
}

/** The quantity a bike counter reports: bicycles counted since its previous reading. */
export const countQuantity = 'bicycleCount';

/** The only place with SQL for this module; its tables are prefixed `cycling_`. */
export class CyclingRepository {
  constructor(private readonly db: Db) {}

  async lanes(): Promise<{ geometry: unknown; properties: LaneProperties }[]> {
    return this.db.rows(sql`SELECT ST_AsGeoJSON(geom, 6)::json AS geometry, json_build_object(
        'id', id, 'nameTh', name_th, 'nameEn', name_en, 'kind', kind, 'lengthM', round(length_m::numeric, 1),
        'source', source, 'synthetic', synthetic) AS properties
      FROM cycling_lanes ORDER BY name_en, id`);
  }

  /**
   * For each lane (by position), whether its geometry is valid and lies inside the municipality (the
   * union of its zones; with no zones set up nothing is inside).
   */
  async checkLanes(
    on: Executor,
    lanes: NewLane[],
  ): Promise<{ i: number; valid: boolean; inside: boolean }[]> {
    return this.db.rows(
      sql`WITH f AS (
          SELECT (ord - 1)::int AS i, ST_SetSRID(ST_GeomFromGeoJSON(l->'geometry'), 4326) AS g
          FROM jsonb_array_elements(${JSON.stringify(lanes)}::jsonb) WITH ORDINALITY AS x(l, ord)),
        city AS (SELECT ST_Union(geom) AS g FROM core_zones)
        SELECT f.i, ST_IsValid(f.g) AS valid, COALESCE(ST_CoveredBy(f.g, city.g), false) AS inside
        FROM f, city ORDER BY f.i`,
      on,
    );
  }

  async deleteAllLanes(on: Executor): Promise<number> {
    const rows = await this.db.rows(sql`DELETE FROM cycling_lanes RETURNING id`, on);
    return rows.length;
  }

  async insertLanes(
    on: Executor,
    lanes: NewLane[],
    source: string | null,
    synthetic = false,
  ): Promise<number> {
    const rows = await this.db.rows(
      sql`INSERT INTO cycling_lanes (name_th, name_en, kind, geom, length_m, source, synthetic)
        SELECT l->>'nameTh', l->>'nameEn', l->>'kind', g.geom, ST_Length(g.geom::geography), ${source}, ${synthetic}
        FROM jsonb_array_elements(${JSON.stringify(lanes)}::jsonb) AS l,
          LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(l->'geometry'), 4326) AS geom) g
        RETURNING id`,
      on,
    );
    return rows.length;
  }

  async deleteLane(on: Executor, id: string): Promise<{ nameEn: string } | undefined> {
    const [row] = await this.db.rows<{ nameEn: string }>(
      sql`DELETE FROM cycling_lanes WHERE id = ${id}::uuid RETURNING name_en AS "nameEn"`,
      on,
    );
    return row;
  }

  async laneTotals(): Promise<{ kind: string; count: number; km: number }[]> {
    return this.db.rows(sql`SELECT kind, count(*)::int AS count, round((sum(length_m) / 1000)::numeric, 2)::float8 AS km
      FROM cycling_lanes GROUP BY kind ORDER BY kind`);
  }

  /** Bike counters: devices whose profile maps a field to `bicycleCount`. */
  async counters(): Promise<Counter[]> {
    return this.db.rows<Counter>(sql`
      SELECT d.id, d.name, ST_X(d.location) AS lon, ST_Y(d.location) AS lat, d.synthetic,
        to_json(d.last_seen_at)#>>'{}' AS "lastSeenAt"
      FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
      WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(p.quantities) q WHERE q->>'quantity' = ${countQuantity})
      ORDER BY d.name, d.id`);
  }

  /** Bicycles counted per counter and Bangkok day over the days [fromDay, toDay]. */
  async dailyCounts(ids: string[], fromDay: string, toDay: string) {
    if (ids.length === 0) return [];
    return this.db.rows<{ counterId: string; day: string; count: number }>(sql`
      SELECT device_id AS "counterId", to_char((observed_at AT TIME ZONE 'Asia/Bangkok')::date, 'YYYY-MM-DD') AS day,
        sum(value)::float8 AS count
      FROM dev_readings
      WHERE device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
        AND quantity = ${countQuantity}
        AND observed_at >= (${fromDay}::date::timestamp AT TIME ZONE 'Asia/Bangkok')
        AND observed_at < ((${toDay}::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')
      GROUP BY 1, 2 ORDER BY 2`);
  }

  async laneCount(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM cycling_lanes`);
    return row.n;
  }
}
