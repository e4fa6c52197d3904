import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { LinkEvent } from '../ingestion/link-events.ts';

export type Health = 'online' | 'late' | 'offline';

export interface GatewaySighting {
  gatewayId: string;
  deviceId: string;
  seenAt: string;
  rssi: number | null;
  snr: number | null;
}

export interface Gateway {
  gatewayId: string;
  firstSeenAt: string;
  lastSeenAt: string;
  rssi: number | null;
  snr: number | null;
  /** Devices whose latest uplink this gateway heard best. */
  devices: number;
}

export interface DeviceEvent {
  kind: 'join' | 'status';
  at: string;
  detail: Record<string, unknown>;
}

/** A device's health inputs, for the sweep. */
export interface HealthRow {
  id: string;
  devEui: string;
  health: Health;
  lastSeenAt: string | null;
  installedOn: string | null;
  createdAt: string;
  intervalS: number;
}

/** SQL of the link side of the registry: device events, gateways, health and device tokens. */
export class LinkRepository {
  constructor(private readonly db: Db) {}

  /** Stores join and status events (a redelivered one once) and their effect on the device. */
  async storeEvents(on: Executor, events: (LinkEvent & { deviceId: string })[]): Promise<void> {
    if (!events.length) return;
    const rows = events.map((e) => {
      const { deviceId, kind, time, devEui: _e, ...detail } = e;
      return { deviceId, kind, at: time, detail };
    });
    await on.execute(
      sql`INSERT INTO dev_device_events (device_id, kind, at, detail)
        SELECT x."deviceId", x.kind, x.at, x.detail
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x("deviceId" uuid, kind text, at timestamptz, detail jsonb)
        ON CONFLICT (device_id, kind, at) DO NOTHING`,
    );
    const statuses = events.filter((e) => e.kind === 'status');
    if (statuses.length)
      await on.execute(
        sql`UPDATE dev_devices d SET margin = x.margin, external_power = x."externalPower",
            battery = COALESCE(x."batteryLevel", d.battery), status_at = x.time
          FROM jsonb_to_recordset(${JSON.stringify(statuses)}::jsonb)
            AS x("deviceId" uuid, time timestamptz, margin int, "externalPower" boolean, "batteryLevel" real)
          WHERE d.id = x."deviceId" AND (d.status_at IS NULL OR d.status_at <= x.time)`,
      );
    const joins = events.filter((e) => e.kind === 'join');
    if (joins.length)
      await on.execute(
        sql`UPDATE dev_devices d SET joined_at = x.time, dev_addr = COALESCE(x."devAddr", d.dev_addr)
          FROM jsonb_to_recordset(${JSON.stringify(joins)}::jsonb)
            AS x("deviceId" uuid, time timestamptz, "devAddr" text)
          WHERE d.id = x."deviceId" AND (d.joined_at IS NULL OR d.joined_at <= x.time)`,
      );
  }

  /**
   * Records the gateways that heard uplinks; each device remembers the gateway that heard it best
   * (unless `devices` is false: the ingest worker sets that with the device's link state, in one UPDATE).
   */
  async sawGateways(on: Executor, sightings: GatewaySighting[], devices = true): Promise<void> {
    if (!sightings.length) return;
    const json = JSON.stringify(sightings);
    await on.execute(
      sql`INSERT INTO dev_gateways (gateway_id, first_seen_at, last_seen_at, rssi, snr)
        SELECT DISTINCT ON (x."gatewayId") x."gatewayId", x."seenAt", x."seenAt", x.rssi, x.snr
        FROM jsonb_to_recordset(${json}::jsonb) AS x("gatewayId" text, "seenAt" timestamptz, rssi int, snr real)
        ORDER BY x."gatewayId", x."seenAt" DESC
        ON CONFLICT (gateway_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, rssi = excluded.rssi, snr = excluded.snr
          WHERE dev_gateways.last_seen_at <= excluded.last_seen_at`,
    );
    if (!devices) return;
    await on.execute(
      sql`UPDATE dev_devices d SET last_gateway_id = x."gatewayId"
        FROM (SELECT DISTINCT ON (y."deviceId") y."deviceId", y."gatewayId", y."seenAt"
              FROM jsonb_to_recordset(${json}::jsonb) AS y("deviceId" uuid, "gatewayId" text, "seenAt" timestamptz, rssi int)
              ORDER BY y."deviceId", y."seenAt" DESC, y.rssi DESC NULLS LAST) x
        WHERE d.id = x."deviceId" AND d.last_seen_at <= x."seenAt"`,
    );
  }

  gateways(): Promise<Gateway[]> {
    return this.db.rows<Gateway>(
      sql`SELECT g.gateway_id AS "gatewayId", to_json(g.first_seen_at)#>>'{}' AS "firstSeenAt",
          to_json(g.last_seen_at)#>>'{}' AS "lastSeenAt", g.rssi, g.snr::float8 AS snr,
          (SELECT count(*)::int FROM dev_devices d WHERE d.last_gateway_id = g.gateway_id) AS devices
        FROM dev_gateways g ORDER BY g.last_seen_at DESC, g.gateway_id LIMIT 1000`,
    );
  }

  events(deviceId: string, limit: number): Promise<DeviceEvent[]> {
    return this.db.rows<DeviceEvent>(
      sql`SELECT kind, to_json(at)#>>'{}' AS at, detail FROM dev_device_events
        WHERE device_id = ${deviceId} ORDER BY at DESC, id LIMIT ${limit}`,
    );
  }

  /** Every device with the interval it is judged by (its own, else its profile's). */
  healthRows(on?: Executor): Promise<HealthRow[]> {
    return this.db.rows<HealthRow>(
      sql`SELECT d.id, d.dev_eui AS "devEui", d.health, to_json(d.last_seen_at)#>>'{}' AS "lastSeenAt",
          to_char(d.installed_on, 'YYYY-MM-DD') AS "installedOn", to_json(d.created_at)#>>'{}' AS "createdAt",
          COALESCE(d.expected_interval_s, p.expected_interval_s) AS "intervalS"
        FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id ORDER BY d.id`,
      on,
    );
  }

  /** Sets a health only if it is still what the sweep saw, so two sweeps never report one change twice. */
  async setHealth(on: Executor, id: string, from: Health, to: Health, at: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE dev_devices SET health = ${to}, health_changed_at = ${at}::timestamptz
        WHERE id = ${id} AND health = ${from} RETURNING id`,
      on,
    );
    return rows.length > 0;
  }

  async setInterval(on: Executor, id: string, seconds: number | null): Promise<void> {
    await on.execute(sql`UPDATE dev_devices SET expected_interval_s = ${seconds} WHERE id = ${id}`);
  }

  async setToken(on: Executor, id: string, hash: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE dev_devices SET token_hash = ${hash}, token_issued_at = now() WHERE id = ${id} RETURNING id`,
      on,
    );
    return rows.length > 0;
  }

  async deviceByToken(hash: string, on?: Executor): Promise<{ id: string; devEui: string } | undefined> {
    const [row] = await this.db.rows<{ id: string; devEui: string }>(
      sql`SELECT id, dev_eui AS "devEui" FROM dev_devices WHERE token_hash = ${hash}`,
      on,
    );
    return row;
  }
}
