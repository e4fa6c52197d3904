import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { DecoderConfig } from '../ingestion/decoders.ts';
import { type DeadLetterSelection, deadLetterWhere } from './dead-letter-filter.ts';
import { rollupUpserts } from './rollups.ts';
import type { Device, DeviceFilter, Profile, Quantity } from './schemas.ts';

const profileColumns = sql`id, name, decoder, quantities, entity_type AS "entityType", synthetic,
  raw_retention_days AS "rawRetentionDays", rollup_retention_days AS "rollupRetentionDays",
  to_json(created_at)#>>'{}' AS "createdAt", to_json(updated_at)#>>'{}' AS "updatedAt"`;

const deviceColumns = sql`id, dev_eui AS "devEui", name, profile_id AS "profileId", office_id AS "officeId",
  json_build_object('lon', ST_X(location), 'lat', ST_Y(location)) AS location, zone_code AS "zoneCode",
  to_char(installed_on, 'YYYY-MM-DD') AS "installedOn", tags, synthetic,
  to_json(last_seen_at)#>>'{}' AS "lastSeenAt", battery::float8 AS battery, rssi, snr::float8 AS snr,
  health, expected_interval_s AS "expectedIntervalS", margin, external_power AS "externalPower",
  to_json(joined_at)#>>'{}' AS "joinedAt", last_gateway_id AS "gatewayId", token_hash IS NOT NULL AS "hasToken",
  to_json(created_at)#>>'{}' AS "createdAt", to_json(updated_at)#>>'{}' AS "updatedAt"`;

export interface NewProfile {
  name: string;
  decoder: DecoderConfig;
  quantities: Quantity[];
  entityType: string;
  synthetic?: boolean;
  /** Days to keep; null keeps forever, undefined takes the default. */
  rawRetentionDays?: number | null;
  rollupRetentionDays?: number | null;
}

/** A column's DEFAULT when no value is given. */
const orDefault = (v: number | null | undefined) => (v === undefined ? sql`DEFAULT` : sql`${v}::int`);

export interface NewDevice {
  devEui: string;
  name: string;
  profileId: string;
  officeId: string;
  lon: number;
  lat: number;
  zoneCode: string | null;
  installedOn: string | null;
  tags: string[];
  synthetic?: boolean;
}

/** What the ingest path needs to know about a device, found by its DevEUI. */
export interface IngestTarget {
  deviceId: string;
  devEui: string;
  name: string;
  lon: number;
  lat: number;
  decoder: DecoderConfig;
  quantities: Quantity[];
  entityType: string;
}

/** One stored reading. */
export interface ReadingRow {
  deviceId: string;
  observedAt: string;
  quantity: string;
  value: number;
  fCnt: number | null;
}

export interface LinkState {
  deviceId: string;
  seenAt: string;
  fCnt: number | null;
  rssi: number | null;
  snr: number | null;
  battery: number | null;
  /** The gateway that heard this uplink best; null or absent keeps the stored one. */
  gatewayId?: string | null;
  /** The ChirpStack application the uplink came from (where downlinks go); null or absent keeps it. */
  applicationId?: string | null;
}

/** Identifies the readings of one uplink: device and time (milliseconds since the epoch). */
export const readingKey = (deviceId: string, ms: number) => `${deviceId}@${ms}`;

const textArray = (items: string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(items)}::jsonb))`;

/** Lookups kept at most; past that the cache starts again (a registry far larger than the city's). */
const maxCachedTargets = 200_000;

const byDevice = (a: ReadingRow, b: ReadingRow) =>
  a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0;

/** The only SQL of the device registry and the readings store; tables are prefixed `dev_`. */
export class DeviceRepository {
  /** `ingestTargets`' lookups (null: no such device) and the registry version they were read at. */
  private readonly targets = new Map<string, IngestTarget | null>();
  private targetsVersion = '';

  constructor(private readonly db: Db) {}

  listProfiles(): Promise<Profile[]> {
    return this.db.rows<Profile>(sql`SELECT ${profileColumns} FROM dev_profiles ORDER BY name, id`);
  }

  async profile(id: string, on?: Executor): Promise<Profile | undefined> {
    const [row] = await this.db.rows<Profile>(
      sql`SELECT ${profileColumns} FROM dev_profiles WHERE id = ${id}`,
      on,
    );
    return row;
  }

  async profileByName(name: string, on?: Executor): Promise<Profile | undefined> {
    const [row] = await this.db.rows<Profile>(
      sql`SELECT ${profileColumns} FROM dev_profiles WHERE name = ${name}`,
      on,
    );
    return row;
  }

  async insertProfile(on: Executor, p: NewProfile): Promise<Profile> {
    const [row] = await this.db.rows<Profile>(
      sql`INSERT INTO dev_profiles (name, decoder, quantities, entity_type, synthetic, raw_retention_days, rollup_retention_days)
        VALUES (${p.name}, ${JSON.stringify(p.decoder)}::jsonb, ${JSON.stringify(p.quantities)}::jsonb, ${p.entityType},
          ${p.synthetic ?? false}, ${orDefault(p.rawRetentionDays)}, ${orDefault(p.rollupRetentionDays)})
        RETURNING ${profileColumns}`,
      on,
    );
    return row;
  }

  async updateProfile(on: Executor, id: string, p: NewProfile): Promise<Profile | undefined> {
    const [row] = await this.db.rows<Profile>(
      sql`UPDATE dev_profiles SET name = ${p.name}, decoder = ${JSON.stringify(p.decoder)}::jsonb,
        quantities = ${JSON.stringify(p.quantities)}::jsonb, entity_type = ${p.entityType},
        raw_retention_days = ${orDefault(p.rawRetentionDays)}, rollup_retention_days = ${orDefault(p.rollupRetentionDays)},
        updated_at = now()
        WHERE id = ${id} RETURNING ${profileColumns}`,
      on,
    );
    return row;
  }

  async deleteProfile(on: Executor, id: string): Promise<boolean> {
    const rows = await this.db.rows(sql`DELETE FROM dev_profiles WHERE id = ${id} RETURNING id`, on);
    return rows.length > 0;
  }

  async devicesUsing(profileId: string, on?: Executor): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM dev_devices WHERE profile_id = ${profileId}`,
      on,
    );
    return row.n;
  }

  listDevices(f: DeviceFilter): Promise<Device[]> {
    const where: SQL[] = [sql`true`];
    if (f.profileId) where.push(sql`profile_id = ${f.profileId}`);
    if (f.officeId) where.push(sql`office_id = ${f.officeId}`);
    if (f.tag) where.push(sql`${f.tag} = ANY (tags)`);
    if (f.health) where.push(sql`health = ${f.health}`);
    return this.db.rows<Device>(
      sql`SELECT ${deviceColumns} FROM dev_devices WHERE ${sql.join(where, sql` AND `)}
        ORDER BY name, id LIMIT ${f.limit ?? 100} OFFSET ${f.offset ?? 0}`,
    );
  }

  async device(id: string, on?: Executor): Promise<Device | undefined> {
    const [row] = await this.db.rows<Device>(
      sql`SELECT ${deviceColumns} FROM dev_devices WHERE id = ${id}`,
      on,
    );
    return row;
  }

  async deviceIdByEui(devEui: string, on?: Executor): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM dev_devices WHERE dev_eui = ${devEui}`,
      on,
    );
    return row?.id;
  }

  async insertDevice(on: Executor, d: NewDevice): Promise<Device> {
    const [row] = await this.db.rows<Device>(
      sql`INSERT INTO dev_devices (dev_eui, name, profile_id, office_id, location, zone_code, installed_on, tags, synthetic)
        VALUES (${d.devEui}, ${d.name}, ${d.profileId}, ${d.officeId}, ST_SetSRID(ST_MakePoint(${d.lon}, ${d.lat}), 4326),
          ${d.zoneCode}, ${d.installedOn}::date, ${textArray(d.tags)}, ${d.synthetic ?? false})
        RETURNING ${deviceColumns}`,
      on,
    );
    return row;
  }

  async updateDevice(on: Executor, id: string, d: Omit<NewDevice, 'devEui'>): Promise<Device | undefined> {
    const [row] = await this.db.rows<Device>(
      sql`UPDATE dev_devices SET name = ${d.name}, profile_id = ${d.profileId}, office_id = ${d.officeId},
          location = ST_SetSRID(ST_MakePoint(${d.lon}, ${d.lat}), 4326), zone_code = ${d.zoneCode},
          installed_on = ${d.installedOn}::date, tags = ${textArray(d.tags)}, updated_at = now()
        WHERE id = ${id} RETURNING ${deviceColumns}`,
      on,
    );
    return row;
  }

  async deleteDevice(on: Executor, id: string): Promise<boolean> {
    const rows = await this.db.rows(sql`DELETE FROM dev_devices WHERE id = ${id} RETURNING id`, on);
    return rows.length > 0;
  }

  async countDevices(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM dev_devices`);
    return row.n;
  }

  /**
   * Devices and their profiles for a set of DevEUIs (lower-case), in one query. Kept (unknown DevEUIs
   * too) while the registry version (`dev_registry_changes`, appended to by triggers on every change of
   * what is looked up, in any process) stays the same, so a steady stream of uplinks costs one small read a batch.
   */
  async ingestTargets(devEuis: string[], on?: Executor): Promise<Map<string, IngestTarget>> {
    const found = new Map<string, IngestTarget>();
    if (!devEuis.length) return found;
    // How many changes have committed, not the highest id: a bigserial id taken earlier can commit
    // later, so a reader that saw the later one first would keep the earlier change's stale lookups
    // under an unchanged max(id). Every commit adds to the count (rows are never deleted).
    const [{ version }] = await this.db.rows<{ version: string }>(
      sql`SELECT count(*)::text AS version FROM dev_registry_changes`,
      on,
    );
    if (version !== this.targetsVersion || this.targets.size > maxCachedTargets) {
      this.targets.clear();
      this.targetsVersion = version;
    }
    const missing = devEuis.filter((e) => !this.targets.has(e));
    if (missing.length) {
      const rows = await this.db.rows<IngestTarget>(
        sql`SELECT d.id AS "deviceId", d.dev_eui AS "devEui", d.name, ST_X(d.location) AS lon, ST_Y(d.location) AS lat,
            p.decoder, p.quantities, p.entity_type AS "entityType"
          FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
          WHERE d.dev_eui IN (SELECT jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb))`,
        on,
      );
      for (const e of missing) this.targets.set(e, null);
      for (const r of rows) this.targets.set(r.devEui, r);
    }
    for (const e of devEuis) {
      const t = this.targets.get(e);
      if (t) found.set(e, t);
    }
    return found;
  }

  /**
   * Multi-row insert; rows already stored (same device, time, quantity) are skipped. The rows actually
   * inserted are folded into the rollups by the same statement. Returns how many were new and the
   * `readingKey`s of the uplinks that had a new one.
   */
  async insertReadings(on: Executor, rows: ReadingRow[]): Promise<{ count: number; keys: Set<string> }> {
    let count = 0;
    const keys = new Set<string>();
    // Sorted by device first, so that a batch split into several statements still locks the 5-minute
    // rollup rows in the order every other writer and the rollup fold lock them (by device, then
    // quantity and bucket within each statement), not in several interleaved runs.
    const sorted = rows.length > 5000 ? [...rows].sort(byDevice) : rows;
    for (let i = 0; i < sorted.length; i += 5000) {
      const part = sorted.slice(i, i + 5000);
      const result = await this.db.rows<{ deviceId: string; ms: number; n: number }>(
        sql`WITH r AS (
            INSERT INTO dev_readings (device_id, observed_at, quantity, value, f_cnt)
            SELECT x."deviceId", x."observedAt", x.quantity, x.value, x."fCnt"
            FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb)
              AS x("deviceId" uuid, "observedAt" timestamptz, quantity text, value float8, "fCnt" bigint)
            ON CONFLICT (device_id, observed_at, quantity) DO NOTHING
            RETURNING device_id, observed_at, quantity, value),
          ${rollupUpserts('r')}
          SELECT device_id AS "deviceId", (extract(epoch FROM observed_at) * 1000)::float8 AS ms, count(*)::int AS n
          FROM r GROUP BY 1, 2`,
        on,
      );
      for (const r of result) {
        count += r.n;
        keys.add(readingKey(r.deviceId, Math.round(r.ms)));
      }
    }
    return { count, keys };
  }

  /** Locks these devices' rows in id order (a writer that touches a device waits for the one before). */
  async lockDevices(on: Executor, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await on.execute(
      sql`SELECT id FROM dev_devices WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
        ORDER BY id FOR UPDATE`,
    );
  }

  /**
   * Keeps each device's latest link state (a late, older message does not move it back). Returns the
   * devices whose state this moved (or kept, at the same time): their uplink is their newest news.
   */
  async updateLinks(on: Executor, links: LinkState[]): Promise<Set<string>> {
    if (!links.length) return new Set();
    const rows = await this.db.rows<{ id: string }>(
      sql`UPDATE dev_devices d SET last_seen_at = x."seenAt", last_f_cnt = COALESCE(x."fCnt", d.last_f_cnt),
          rssi = COALESCE(x.rssi, d.rssi), snr = COALESCE(x.snr, d.snr), battery = COALESCE(x.battery, d.battery),
          last_gateway_id = COALESCE(x."gatewayId", d.last_gateway_id),
          chirpstack_application_id = COALESCE(x."applicationId", d.chirpstack_application_id)
        FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb)
          AS x("deviceId" uuid, "seenAt" timestamptz, "fCnt" bigint, rssi int, snr real, battery real,
            "gatewayId" text, "applicationId" text)
        WHERE d.id = x."deviceId" AND (d.last_seen_at IS NULL OR d.last_seen_at <= x."seenAt")
        RETURNING d.id`,
      on,
    );
    return new Set(rows.map((r) => r.id));
  }

  async insertDeadLetters(
    on: Executor,
    letters: {
      topic: string;
      payload: Buffer;
      reason: string;
      detail: string | null;
      devEui: string | null;
    }[],
  ): Promise<void> {
    if (!letters.length) return;
    const rows = letters.map((l) => ({ ...l, payload: l.payload.toString('base64') }));
    await on.execute(
      sql`INSERT INTO dev_dead_letters (topic, payload, reason, detail, dev_eui)
        SELECT x.topic, decode(x.payload, 'base64'), x.reason, x.detail, x."devEui"
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS x(topic text, payload text, reason text, detail text, "devEui" text)`,
    );
  }

  /** The latest value of each quantity of a device. */
  latest(deviceId: string): Promise<{ quantity: string; value: number; observedAt: string }[]> {
    return this.db.rows(
      sql`SELECT DISTINCT ON (quantity) quantity, value, to_json(observed_at)#>>'{}' AS "observedAt"
        FROM dev_readings WHERE device_id = ${deviceId} ORDER BY quantity, observed_at DESC`,
    );
  }

  /** A device's readings in [from, to), oldest first. */
  series(
    deviceId: string,
    range: { from: string; to: string; quantity?: string; limit: number },
  ): Promise<{ quantity: string; value: number; observedAt: string }[]> {
    return this.db.rows(
      sql`SELECT quantity, value, to_json(observed_at)#>>'{}' AS "observedAt" FROM dev_readings
        WHERE device_id = ${deviceId} AND observed_at >= ${range.from}::timestamptz AND observed_at < ${range.to}::timestamptz
          ${range.quantity ? sql`AND quantity = ${range.quantity}` : sql``}
        ORDER BY observed_at, quantity LIMIT ${range.limit}`,
    );
  }

  async deadLetters(f: DeadLetterSelection & { limit: number; offset: number }) {
    const where = deadLetterWhere(f);
    const items = await this.db.rows<{
      id: string;
      topic: string;
      payload: string;
      reason: string;
      detail: string | null;
      devEui: string | null;
      receivedAt: string;
      replayedAt: string | null;
      replayedBy: string | null;
      replayAttempts: number;
    }>(
      sql`SELECT id, topic, encode(payload, 'base64') AS payload, reason, detail, dev_eui AS "devEui",
          to_json(received_at)#>>'{}' AS "receivedAt", to_json(replayed_at)#>>'{}' AS "replayedAt",
          replayed_by::text AS "replayedBy", replay_attempts AS "replayAttempts"
        FROM dev_dead_letters WHERE ${where}
        ORDER BY received_at DESC, id LIMIT ${f.limit} OFFSET ${f.offset}`,
    );
    const [{ total }] = await this.db.rows<{ total: number }>(
      sql`SELECT count(*)::int AS total FROM dev_dead_letters WHERE ${where}`,
    );
    return { items, total, limit: f.limit, offset: f.offset };
  }

  async ensurePartitions(): Promise<void> {
    await this.db.orm.execute(sql`SELECT dev_ensure_readings_partition(now()::date),
      dev_ensure_readings_partition((now() + interval '1 month')::date)`);
  }
}
