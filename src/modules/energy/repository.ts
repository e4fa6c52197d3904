import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Building, Installation } from './schemas.ts';

const buildingColumns = sql`b.id, b.name_th AS "nameTh", b.name_en AS "nameEn", b.office_id AS "officeId",
  json_build_object('lon', ST_X(b.location), 'lat', ST_Y(b.location)) AS location, b.zone_code AS "zoneCode",
  b.floor_area_m2 AS "floorAreaM2", b.kind, b.synthetic,
  COALESCE((SELECT sum(i.kwp) FROM energy_installations i WHERE i.building_id = b.id), 0)::float8 AS kwp,
  EXISTS (SELECT 1 FROM energy_installations i WHERE i.building_id = b.id AND i.kind = 'meter') AS "hasMeter"`;

const installationColumns = sql`id, building_id AS "buildingId", kind, name, kwp, to_char(installed_on, 'YYYY-MM-DD') AS "installedOn",
  device_id AS "deviceId", synthetic`;

export interface NewBuilding {
  nameTh: string;
  nameEn: string;
  officeId: string;
  lon: number;
  lat: number;
  zoneCode: string | null;
  floorAreaM2: number;
  kind: string;
  synthetic?: boolean;
}

export interface NewInstallation {
  buildingId: string;
  kind: 'pv' | 'meter';
  name: string;
  kwp: number | null;
  installedOn: string | null;
  deviceId: string | null;
  synthetic?: boolean;
}

/** The only SQL of the energy register; tables are prefixed `energy_`. */
export class EnergyRepository {
  constructor(private readonly db: Db) {}

  buildings(id?: string, on?: Executor): Promise<Building[]> {
    return this.db.rows<Building>(
      sql`SELECT ${buildingColumns} FROM energy_buildings b
        ${id === undefined ? sql`` : sql`WHERE b.id = ${id}::uuid`} ORDER BY b.name_en, b.id`,
      on,
    );
  }

  async building(id: string, on?: Executor): Promise<Building | undefined> {
    return (await this.buildings(id, on))[0];
  }

  installations(buildingId?: string, on?: Executor): Promise<Installation[]> {
    return this.db.rows<Installation>(
      sql`SELECT ${installationColumns} FROM energy_installations
        ${buildingId === undefined ? sql`` : sql`WHERE building_id = ${buildingId}::uuid`} ORDER BY kind DESC, name, id`,
      on,
    );
  }

  async installation(id: string, on?: Executor): Promise<Installation | undefined> {
    const [row] = await this.db.rows<Installation>(
      sql`SELECT ${installationColumns} FROM energy_installations WHERE id = ${id}::uuid`,
      on,
    );
    return row;
  }

  async insertBuilding(on: Executor, b: NewBuilding): Promise<string> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO energy_buildings (name_th, name_en, office_id, location, zone_code, floor_area_m2, kind, synthetic)
        VALUES (${b.nameTh}, ${b.nameEn}, ${b.officeId}, ST_SetSRID(ST_MakePoint(${b.lon}, ${b.lat}), 4326),
          ${b.zoneCode}, ${b.floorAreaM2}, ${b.kind}, ${b.synthetic ?? false}) RETURNING id`,
      on,
    );
    return row.id;
  }

  async updateBuilding(on: Executor, id: string, b: NewBuilding): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE energy_buildings SET name_th = ${b.nameTh}, name_en = ${b.nameEn}, office_id = ${b.officeId},
          location = ST_SetSRID(ST_MakePoint(${b.lon}, ${b.lat}), 4326), zone_code = ${b.zoneCode},
          floor_area_m2 = ${b.floorAreaM2}, kind = ${b.kind}, updated_at = now()
        WHERE id = ${id}::uuid RETURNING id`,
      on,
    );
    return rows.length > 0;
  }

  async deleteBuilding(on: Executor, id: string): Promise<boolean> {
    return (
      (await this.db.rows(sql`DELETE FROM energy_buildings WHERE id = ${id}::uuid RETURNING id`, on)).length >
      0
    );
  }

  async insertInstallation(on: Executor, i: NewInstallation): Promise<Installation> {
    const [row] = await this.db.rows<Installation>(
      sql`INSERT INTO energy_installations (building_id, kind, name, kwp, installed_on, device_id, synthetic)
        VALUES (${i.buildingId}, ${i.kind}, ${i.name}, ${i.kwp}, ${i.installedOn}::date, ${i.deviceId}::uuid, ${i.synthetic ?? false})
        RETURNING ${installationColumns}`,
      on,
    );
    return row;
  }

  async updateInstallation(
    on: Executor,
    id: string,
    i: Omit<NewInstallation, 'buildingId' | 'kind'>,
  ): Promise<Installation> {
    const [row] = await this.db.rows<Installation>(
      sql`UPDATE energy_installations SET name = ${i.name}, kwp = ${i.kwp}, installed_on = ${i.installedOn}::date,
          device_id = ${i.deviceId}::uuid
        WHERE id = ${id}::uuid RETURNING ${installationColumns}`,
      on,
    );
    return row;
  }

  async deleteInstallation(on: Executor, id: string): Promise<boolean> {
    return (
      (await this.db.rows(sql`DELETE FROM energy_installations WHERE id = ${id}::uuid RETURNING id`, on))
        .length > 0
    );
  }

  /** Whether a device already feeds an installation (other than `except`). */
  async deviceTaken(deviceId: string, on?: Executor, except?: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`SELECT 1 FROM energy_installations WHERE device_id = ${deviceId}::uuid
        ${except ? sql`AND id <> ${except}::uuid` : sql``}`,
      on,
    );
    return rows.length > 0;
  }
}
