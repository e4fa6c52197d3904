import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Point } from './domain.ts';
import type { Shelter } from './schemas.ts';

/** A station as stored, with where its device is and which office keeps it. */
export interface StationRow {
  id: string;
  deviceId: string;
  devEui: string;
  officeId: string;
  kind: 'water_level' | 'rainfall';
  quantity: string;
  nameTh: string;
  nameEn: string;
  location: { lon: number; lat: number };
  zoneCode: string | null;
  datum: string;
  watch: number;
  warning: number;
  critical: number;
  bankFull: number | null;
  synthetic: boolean;
}

export interface StationValues {
  nameTh: string;
  nameEn: string;
  datum: string;
  watch: number;
  warning: number;
  critical: number;
  bankFull: number | null;
}

const stationColumns = sql`s.id, s.device_id AS "deviceId", d.dev_eui AS "devEui", d.office_id AS "officeId",
  s.kind, s.quantity, s.name_th AS "nameTh", s.name_en AS "nameEn",
  json_build_object('lon', ST_X(d.location), 'lat', ST_Y(d.location)) AS location, d.zone_code AS "zoneCode",
  s.datum, s.watch, s.warning, s.critical, s.bank_full AS "bankFull", s.synthetic`;

const shelterColumns = sql`id, kind, name_th AS "nameTh", name_en AS "nameEn",
  json_build_object('lon', ST_X(location), 'lat', ST_Y(location)) AS location, zone_code AS "zoneCode",
  capacity, facilities, contact, office_id AS "officeId", synthetic`;

export interface NewShelter {
  kind: 'shelter' | 'evacuation_point';
  nameTh: string;
  nameEn: string;
  lon: number;
  lat: number;
  zoneCode: string | null;
  capacity: number;
  facilities: string[];
  contact: string | null;
  officeId: string;
  synthetic?: boolean;
}

const textArray = (items: string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(items)}::jsonb))`;

/** The only SQL of the flood module; its tables are prefixed `flood_`, readings are read raw. */
export class FloodRepository {
  constructor(readonly db: Db) {}

  stations(on?: Executor): Promise<StationRow[]> {
    return this.db.rows<StationRow>(
      sql`SELECT ${stationColumns} FROM flood_stations s JOIN dev_devices d ON d.id = s.device_id
        ORDER BY s.name_en, s.id`,
      on,
    );
  }

  async station(id: string, on?: Executor): Promise<StationRow | undefined> {
    const [row] = await this.db.rows<StationRow>(
      sql`SELECT ${stationColumns} FROM flood_stations s JOIN dev_devices d ON d.id = s.device_id WHERE s.id = ${id}`,
      on,
    );
    return row;
  }

  async stationsOfDevices(devEuis: string[], on: Executor): Promise<StationRow[]> {
    if (!devEuis.length) return [];
    return this.db.rows<StationRow>(
      sql`SELECT ${stationColumns} FROM flood_stations s JOIN dev_devices d ON d.id = s.device_id
        WHERE d.dev_eui IN (SELECT jsonb_array_elements_text(${JSON.stringify(devEuis)}::jsonb))`,
      on,
    );
  }

  /** The quantities a device's profile says it measures, with their units. */
  async deviceQuantities(
    deviceId: string,
    on?: Executor,
  ): Promise<{ officeId: string; quantities: { quantity: string; unit?: string }[] } | undefined> {
    const [row] = await this.db.rows<{ officeId: string; quantities: { quantity: string; unit?: string }[] }>(
      sql`SELECT d.office_id AS "officeId", p.quantities FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
        WHERE d.id = ${deviceId}`,
      on,
    );
    return row;
  }

  async insertStation(
    on: Executor,
    s: StationValues & { deviceId: string; kind: string; quantity: string; synthetic?: boolean },
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO flood_stations (device_id, kind, quantity, name_th, name_en, datum, watch, warning, critical, bank_full, synthetic)
        VALUES (${s.deviceId}, ${s.kind}, ${s.quantity}, ${s.nameTh}, ${s.nameEn}, ${s.datum}, ${s.watch}, ${s.warning},
          ${s.critical}, ${s.bankFull}, ${s.synthetic ?? false})
        ON CONFLICT (device_id) DO NOTHING RETURNING id`,
      on,
    );
    return row?.id;
  }

  async updateStation(on: Executor, id: string, s: StationValues): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE flood_stations SET name_th = ${s.nameTh}, name_en = ${s.nameEn}, datum = ${s.datum}, watch = ${s.watch},
          warning = ${s.warning}, critical = ${s.critical}, bank_full = ${s.bankFull}, updated_at = now()
        WHERE id = ${id} RETURNING id`,
      on,
    );
    return rows.length > 0;
  }

  /**
   * The readings a station's figures need: for water, those of the three hours up to its latest
   * reading; for rain, those of the 24 hours up to `now`. Oldest first.
   */
  async recent(station: StationRow, now: Date, on?: Executor): Promise<Point[]> {
    const rows = await this.db.rows<{ t: number; v: number }>(
      station.kind === 'water_level'
        ? sql`WITH last AS (SELECT max(observed_at) AS at FROM dev_readings
              WHERE device_id = ${station.deviceId} AND quantity = ${station.quantity} AND observed_at <= ${now.toISOString()}::timestamptz)
            SELECT (extract(epoch FROM r.observed_at) * 1000)::float8 AS t, r.value AS v FROM dev_readings r, last
            WHERE r.device_id = ${station.deviceId} AND r.quantity = ${station.quantity}
              AND r.observed_at BETWEEN last.at - interval '3 hours' AND last.at
            ORDER BY r.observed_at`
        : sql`SELECT (extract(epoch FROM observed_at) * 1000)::float8 AS t, value AS v FROM dev_readings
            WHERE device_id = ${station.deviceId} AND quantity = ${station.quantity}
              AND observed_at > ${now.toISOString()}::timestamptz - interval '24 hours' AND observed_at <= ${now.toISOString()}::timestamptz
            ORDER BY observed_at`,
      on,
    );
    return rows;
  }

  /** The last reading of any time, so a rain gauge silent for a day still shows when it last spoke. */
  async lastReadingAt(station: StationRow, on?: Executor): Promise<string | null> {
    const [row] = await this.db.rows<{ at: string | null }>(
      sql`SELECT to_json(max(observed_at))#>>'{}' AS at FROM dev_readings
        WHERE device_id = ${station.deviceId} AND quantity = ${station.quantity}`,
      on,
    );
    return row.at;
  }

  series(station: StationRow, from: Date, to: Date): Promise<{ observedAt: string; value: number }[]> {
    return this.db.rows(
      sql`SELECT to_json(observed_at)#>>'{}' AS "observedAt", value FROM dev_readings
        WHERE device_id = ${station.deviceId} AND quantity = ${station.quantity}
          AND observed_at >= ${from.toISOString()}::timestamptz AND observed_at <= ${to.toISOString()}::timestamptz
        ORDER BY observed_at LIMIT 20000`,
    );
  }

  shelters(on?: Executor): Promise<Shelter[]> {
    return this.db.rows<Shelter>(sql`SELECT ${shelterColumns} FROM flood_shelters ORDER BY name_en, id`, on);
  }

  async shelter(id: string, on?: Executor): Promise<Shelter | undefined> {
    const [row] = await this.db.rows<Shelter>(
      sql`SELECT ${shelterColumns} FROM flood_shelters WHERE id = ${id}`,
      on,
    );
    return row;
  }

  async shelterIdByName(nameEn: string, on?: Executor): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM flood_shelters WHERE name_en = ${nameEn}`,
      on,
    );
    return row?.id;
  }

  async insertShelter(on: Executor, s: NewShelter): Promise<Shelter> {
    const [row] = await this.db.rows<Shelter>(
      sql`INSERT INTO flood_shelters (kind, name_th, name_en, location, zone_code, capacity, facilities, contact, office_id, synthetic)
        VALUES (${s.kind}, ${s.nameTh}, ${s.nameEn}, ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326), ${s.zoneCode},
          ${s.capacity}, ${textArray(s.facilities)}, ${s.contact}, ${s.officeId}, ${s.synthetic ?? false})
        RETURNING ${shelterColumns}`,
      on,
    );
    return row;
  }

  async updateShelter(
    on: Executor,
    id: string,
    s: Omit<NewShelter, 'synthetic'>,
  ): Promise<Shelter | undefined> {
    const [row] = await this.db.rows<Shelter>(
      sql`UPDATE flood_shelters SET kind = ${s.kind}, name_th = ${s.nameTh}, name_en = ${s.nameEn},
          location = ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326), zone_code = ${s.zoneCode}, capacity = ${s.capacity},
          facilities = ${textArray(s.facilities)}, contact = ${s.contact}, office_id = ${s.officeId}, updated_at = now()
        WHERE id = ${id} RETURNING ${shelterColumns}`,
      on,
    );
    return row;
  }

  async deleteShelter(on: Executor, id: string): Promise<boolean> {
    const rows = await this.db.rows(sql`DELETE FROM flood_shelters WHERE id = ${id} RETURNING id`, on);
    return rows.length > 0;
  }
}
