import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';

export interface Office {
  id: string;
  code: string;
  nameTh: string;
  nameEn: string;
  kind: 'office' | 'division';
  parentId: string | null;
  services: string[];
}

export interface Area {
  id: string;
  code: string;
  nameTh: string;
  nameEn: string;
  synthetic: boolean;
}

export interface AreaWithGeometry extends Area {
  zoneId?: string;
  geometry: GeoJSON.MultiPolygon;
}

export interface NewArea {
  code: string;
  nameTh: string;
  nameEn: string;
  /** GeoJSON Polygon or MultiPolygon in WGS 84. */
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  synthetic: boolean;
}

const officeColumns = sql`id, code, name_th AS "nameTh", name_en AS "nameEn", kind, parent_id AS "parentId", services`;

export class OrgRepository {
  constructor(private readonly db: Db) {}

  listOffices(): Promise<Office[]> {
    return this.db.rows<Office>(sql`SELECT ${officeColumns} FROM core_offices ORDER BY kind DESC, code`);
  }

  async officeByCode(code: string, on?: Executor): Promise<Office | undefined> {
    const [row] = await this.db.rows<Office>(
      sql`SELECT ${officeColumns} FROM core_offices WHERE code = ${code}`,
      on,
    );
    return row;
  }

  async insertOffice(on: Executor, o: Omit<Office, 'id'>): Promise<Office> {
    const [row] = await this.db.rows<Office>(
      sql`INSERT INTO core_offices (code, name_th, name_en, kind, parent_id, services)
        VALUES (${o.code}, ${o.nameTh}, ${o.nameEn}, ${o.kind}, ${o.parentId}, ${JSON.stringify(o.services)}::jsonb)
        RETURNING ${officeColumns}`,
      on,
    );
    return row;
  }

  async upsertZone(on: Executor, z: NewArea): Promise<string> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO core_zones (code, name_th, name_en, geom, synthetic)
        VALUES (${z.code}, ${z.nameTh}, ${z.nameEn}, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(z.geometry)}), 4326)), ${z.synthetic})
        ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, geom = EXCLUDED.geom,
          synthetic = EXCLUDED.synthetic
        RETURNING id`,
      on,
    );
    return row.id;
  }

  async upsertCommunity(on: Executor, zoneId: string, c: NewArea): Promise<string> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO core_communities (zone_id, code, name_th, name_en, geom, synthetic)
        VALUES (${zoneId}, ${c.code}, ${c.nameTh}, ${c.nameEn}, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(c.geometry)}), 4326)), ${c.synthetic})
        ON CONFLICT (code) DO UPDATE SET zone_id = EXCLUDED.zone_id, name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en,
          geom = EXCLUDED.geom, synthetic = EXCLUDED.synthetic
        RETURNING id`,
      on,
    );
    return row.id;
  }

  zones(): Promise<AreaWithGeometry[]> {
    return this.db.rows<AreaWithGeometry>(
      sql`SELECT id, code, name_th AS "nameTh", name_en AS "nameEn", synthetic,
          ST_AsGeoJSON(geom, 6)::json AS geometry FROM core_zones ORDER BY code`,
    );
  }

  communities(zoneId?: string): Promise<AreaWithGeometry[]> {
    return this.db.rows<AreaWithGeometry>(
      sql`SELECT id, zone_id AS "zoneId", code, name_th AS "nameTh", name_en AS "nameEn", synthetic,
          ST_AsGeoJSON(geom, 6)::json AS geometry FROM core_communities
        WHERE (${zoneId ?? null}::uuid IS NULL OR zone_id = ${zoneId ?? null}::uuid) ORDER BY code`,
    );
  }

  /** The zone and community that cover a WGS 84 point (a point on a shared border goes to the lowest code). */
  async locate(
    lon: number,
    lat: number,
    on?: Executor,
  ): Promise<{ zone: Area; community: Area | null } | null> {
    const [row] = await this.db.rows<{ zone: Area; community: Area | null }>(locateQuery(lon, lat), on);
    return row ?? null;
  }

  /** The zone code of a point inside the municipality; a point outside it is a 400 at `/location`. */
  async zoneOf(lon: number, lat: number): Promise<string> {
    const place = await this.locate(lon, lat);
    if (!place)
      throw AppError.badRequest('org.outside_municipality', msg('org.point_in_no_zone', { lon, lat }), [
        { path: '/location', message: msg('org.outside_municipality') },
      ]);
    return place.zone.code;
  }
}

/**
 * The zone and community of a point, as one row `{ zone, community }` (none outside the municipality):
 * `OrgRepository.locate`'s query, for a caller that folds it into a statement of its own.
 */
export function locateQuery(lon: number, lat: number): SQL {
  return sql`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g)
    SELECT json_build_object('id', z.id, 'code', z.code, 'nameTh', z.name_th, 'nameEn', z.name_en, 'synthetic', z.synthetic) AS zone,
      (SELECT json_build_object('id', c.id, 'code', c.code, 'nameTh', c.name_th, 'nameEn', c.name_en, 'synthetic', c.synthetic)
         FROM core_communities c WHERE c.zone_id = z.id AND ST_Covers(c.geom, p.g) ORDER BY c.code LIMIT 1) AS community
    FROM core_zones z, p WHERE ST_Covers(z.geom, p.g) ORDER BY z.code LIMIT 1`;
}
