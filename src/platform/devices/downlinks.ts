/**
 * Downlinks: what an operator queues for a device, and the table that follows each one from queued to
 * acknowledged, failed or expired. The payload is bytes (hex or base64) or one of a few declarative
 * commands encoded by a fixed byte layout; never code from a user.
 */
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { type Message, msg } from '../../core/i18n.ts';

/** The LoRaWAN application payload maximum (at the fastest data rate; slower ones allow less). */
export const maxPayloadBytes = 242;
/** Unacknowledged after this long (by default): expired. A class A device hears only after an uplink. */
export const defaultTtlS = 24 * 3600;

export type DownlinkState = 'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired';

/**
 * Commands in the layout of Dragino's LoRaWAN sensors (LHT65, LDDS75, LSN50…), common in Thai city
 * deployments: opcode 0x01 then the interval in seconds as 3 bytes big-endian; 0x04 0xFF reboots.
 */
export type Command = { name: 'set-reporting-interval'; intervalS: number } | { name: 'reboot' };

export type PayloadInput = { hex: string } | { base64: string } | { command: Command };

export interface DownlinkInput {
  fPort: number;
  confirmed?: boolean;
  ttlS?: number;
  payload: PayloadInput;
}

export interface Downlink {
  id: string;
  deviceId: string;
  fPort: number;
  payloadHex: string;
  command: Command | null;
  confirmed: boolean;
  state: DownlinkState;
  queuedBy: string | null;
  queuedAt: string;
  expiresAt: string;
  sentAt: string | null;
  applicationId: string | null;
  transmittedAt: string | null;
  gatewayId: string | null;
  fCntDown: number | null;
  settledAt: string | null;
  reason: string | null;
}

const invalid = (field: string, message: Message) =>
  AppError.badRequest('request.invalid', message, [{ path: field, message }]);

/** The bytes of a payload as lower-case hex; throws a 400 for what is not 1–242 bytes. */
export function encodePayload(p: PayloadInput): { hex: string; command: Command | null } {
  let bytes: Buffer;
  let command: Command | null = null;
  if ('hex' in p) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(p.hex)) throw invalid('/payload/hex', msg('devices.payload_hex'));
    bytes = Buffer.from(p.hex, 'hex');
  } else if ('base64' in p) {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(p.base64) || !p.base64)
      throw invalid('/payload/base64', msg('devices.payload_base64'));
    bytes = Buffer.from(p.base64, 'base64');
  } else {
    command = p.command;
    if (command.name === 'reboot') bytes = Buffer.from([0x04, 0xff]);
    else {
      const s = command.intervalS;
      bytes = Buffer.from([0x01, (s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff]);
    }
  }
  if (bytes.length < 1 || bytes.length > maxPayloadBytes)
    throw invalid('/payload', msg('devices.payload_size', { max: maxPayloadBytes }));
  return { hex: bytes.toString('hex'), command };
}

const columns = sql`id, device_id AS "deviceId", f_port AS "fPort", payload_hex AS "payloadHex", command,
  confirmed, state, queued_by_label AS "queuedBy", to_json(queued_at)#>>'{}' AS "queuedAt",
  to_json(expires_at)#>>'{}' AS "expiresAt", to_json(sent_at)#>>'{}' AS "sentAt",
  application_id AS "applicationId", to_json(transmitted_at)#>>'{}' AS "transmittedAt",
  gateway_id AS "gatewayId", f_cnt_down::float8 AS "fCntDown", to_json(settled_at)#>>'{}' AS "settledAt", reason`;

/** What the publisher needs of a queued downlink. */
export interface Outgoing {
  id: string;
  devEui: string;
  applicationId: string;
  fPort: number;
  payloadHex: string;
  confirmed: boolean;
}

/** A txack or ack event from ChirpStack, by queue item id (our downlink's id). */
export type DownlinkEvent =
  | {
      kind: 'txack';
      queueItemId: string;
      devEui: string;
      time: string;
      fCntDown: number | null;
      gatewayId: string | null;
    }
  | {
      kind: 'ack';
      queueItemId: string;
      devEui: string;
      time: string;
      acknowledged: boolean;
      fCntDown: number | null;
    };

export class DownlinkRepository {
  constructor(private readonly db: Db) {}

  async insert(
    on: Executor,
    d: {
      deviceId: string;
      fPort: number;
      payloadHex: string;
      command: Command | null;
      confirmed: boolean;
      ttlS: number;
    },
    by: { id: string | null; label: string | null },
  ): Promise<Downlink> {
    const [row] = await this.db.rows<Downlink>(
      sql`INSERT INTO dev_downlinks (device_id, f_port, payload_hex, command, confirmed, queued_by, queued_by_label, expires_at)
        VALUES (${d.deviceId}, ${d.fPort}, ${d.payloadHex}, ${d.command ? JSON.stringify(d.command) : null}::jsonb,
          ${d.confirmed}, ${by.id}, ${by.label}, now() + make_interval(secs => ${d.ttlS}))
        RETURNING ${columns}`,
      on,
    );
    return row;
  }

  list(deviceId: string, limit = 100): Promise<Downlink[]> {
    return this.db.rows<Downlink>(
      sql`SELECT ${columns} FROM dev_downlinks WHERE device_id = ${deviceId}
        ORDER BY queued_at DESC, id LIMIT ${limit}`,
    );
  }

  get(id: string, on?: Executor): Promise<Downlink | undefined> {
    return this.db
      .rows<Downlink>(sql`SELECT ${columns} FROM dev_downlinks WHERE id = ${id}`, on)
      .then((r) => r[0]);
  }

  /**
   * Locks the oldest queued, unexpired downlink of a device whose application is known; a second
   * platform process skips it rather than sending it twice.
   */
  async claimNext(on: Executor, now: Date): Promise<Outgoing | undefined> {
    const [row] = await this.db.rows<Outgoing>(
      sql`SELECT l.id, d.dev_eui AS "devEui", d.chirpstack_application_id AS "applicationId", l.f_port AS "fPort",
          l.payload_hex AS "payloadHex", l.confirmed
        FROM dev_downlinks l JOIN dev_devices d ON d.id = l.device_id
        WHERE l.state = 'queued' AND l.expires_at > ${now.toISOString()}::timestamptz
          AND d.chirpstack_application_id IS NOT NULL
        ORDER BY l.queued_at, l.id LIMIT 1
        FOR UPDATE OF l SKIP LOCKED`,
      on,
    );
    return row;
  }

  async markSent(on: Executor, id: string, applicationId: string, at: Date): Promise<void> {
    await on.execute(
      sql`UPDATE dev_downlinks SET state = 'sent', sent_at = ${at.toISOString()}::timestamptz, application_id = ${applicationId}
        WHERE id = ${id} AND state = 'queued'`,
    );
  }

  /**
   * Moves downlinks by ChirpStack's events. A txack records the transmission; for an unconfirmed
   * downlink it is the last word ChirpStack gives, so it settles it as acknowledged. An ack settles a
   * confirmed one. ChirpStack's word is taken even after the platform's own expiry. Returns the
   * queue item ids that match no downlink of that device.
   */
  async apply(on: Executor, events: DownlinkEvent[]): Promise<Set<string>> {
    const unknown = new Set<string>();
    for (const e of events) {
      const rows =
        e.kind === 'txack'
          ? await this.db.rows<{ id: string }>(
              sql`UPDATE dev_downlinks l SET transmitted_at = ${e.time}::timestamptz,
                  gateway_id = coalesce(${e.gatewayId}, l.gateway_id), f_cnt_down = coalesce(${e.fCntDown}, l.f_cnt_down),
                  state = CASE WHEN l.confirmed OR l.state IN ('acknowledged', 'failed') THEN
                      CASE WHEN l.state = 'queued' THEN 'sent' ELSE l.state END
                    ELSE 'acknowledged' END,
                  settled_at = CASE WHEN NOT l.confirmed AND l.state NOT IN ('acknowledged', 'failed')
                    THEN ${e.time}::timestamptz ELSE l.settled_at END,
                  reason = CASE WHEN NOT l.confirmed AND l.state NOT IN ('acknowledged', 'failed') THEN NULL ELSE l.reason END
                FROM dev_devices d
                WHERE l.id = ${e.queueItemId} AND d.id = l.device_id AND d.dev_eui = ${e.devEui}
                RETURNING l.id`,
              on,
            )
          : await this.db.rows<{ id: string }>(
              sql`UPDATE dev_downlinks l SET state = ${e.acknowledged ? 'acknowledged' : 'failed'},
                  settled_at = ${e.time}::timestamptz, f_cnt_down = coalesce(${e.fCntDown}, l.f_cnt_down),
                  reason = ${e.acknowledged ? null : 'not acknowledged by the device'}
                FROM dev_devices d
                WHERE l.id = ${e.queueItemId} AND d.id = l.device_id AND d.dev_eui = ${e.devEui}
                  AND l.state IN ('queued', 'sent', 'expired')
                RETURNING l.id`,
              on,
            );
      if (rows.length) continue;
      // A repeated ack of a settled downlink is a redelivery, not an unknown one.
      const [known] = await this.db.rows(
        sql`SELECT 1 FROM dev_downlinks l JOIN dev_devices d ON d.id = l.device_id
          WHERE l.id = ${e.queueItemId} AND d.dev_eui = ${e.devEui}`,
        on,
      );
      if (!known) unknown.add(e.queueItemId);
    }
    return unknown;
  }

  /** Queued or sent downlinks past their time become expired; returns how many. */
  async expire(now: Date): Promise<number> {
    const rows = await this.db.rows(
      sql`UPDATE dev_downlinks SET state = 'expired', settled_at = ${now.toISOString()}::timestamptz,
          reason = CASE WHEN state = 'queued' THEN 'never sent' ELSE 'no acknowledgement in time' END
        WHERE state IN ('queued', 'sent') AND expires_at <= ${now.toISOString()}::timestamptz
        RETURNING id`,
    );
    return rows.length;
  }
}
