import { createHash, randomBytes } from 'node:crypto';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import type { ContextService } from '../context/service.ts';
import type { Uplink } from '../ingestion/chirpstack.ts';
import { knownValues } from '../ingestion/link-events.ts';
import { entityOf } from '../ingestion/worker.ts';
import { LinkRepository } from './link-repository.ts';
import { DeviceRepository, type ReadingRow } from './repository.ts';

export interface BulkBody {
  readings: { time?: string; values: Record<string, number> }[];
}

export interface BulkResult {
  /** Readings (one value of one quantity at one time) newly stored. */
  stored: number;
  /** Readings dropped because the same device, time and quantity is stored already (or twice in the body). */
  duplicates: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Non-LoRa devices over HTTP: each has its own token (shown once when issued, kept as a SHA-256), and
 * its readings take the path of every uplink (same tables, duplicates dropped, link state, entity).
 */
export class BulkIngest {
  private readonly repo: DeviceRepository;
  private readonly links: LinkRepository;

  constructor(
    private readonly db: Db,
    private readonly context: ContextService,
  ) {
    this.repo = new DeviceRepository(db);
    this.links = new LinkRepository(db);
  }

  /** Issues a new token, which replaces (rotates) any earlier one. */
  issueToken(deviceId: string, actor: Actor): Promise<{ token: string }> {
    return this.db.transaction(async (tx) => {
      const token = `mdt_${randomBytes(24).toString('base64url')}`;
      if (!(await this.links.setToken(tx, deviceId, hashToken(token))))
        throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      await audit(tx, actor, {
        action: 'devices.token.issue',
        resourceType: 'devices.device',
        resourceId: deviceId,
      });
      return { token };
    });
  }

  async ingest(token: string | undefined, body: BulkBody, now: Date): Promise<BulkResult> {
    if (!token) throw AppError.unauthorized('devices.token_required');
    // The token is random and only its hash is compared, so the lookup leaks nothing by timing.
    const device = await this.links.deviceByToken(hashToken(token));
    if (!device) throw AppError.unauthorized('devices.token_invalid');
    const target = (await this.repo.ingestTargets([device.devEui])).get(device.devEui);
    if (!target) throw AppError.unauthorized('devices.token_invalid');

    const rows: ReadingRow[] = [];
    let latest: { uplink: Uplink; values: ReturnType<typeof toValues> } | null = null;
    const toValues = (values: Record<string, number>, i: number) => {
      const r = knownValues(
        Object.entries(values).map(([quantity, value]) => ({ quantity, value })),
        target.quantities,
      );
      if (!r.ok) {
        // The one the profile does not list, named in the reader's language (r.detail is the log's English).
        const quantity =
          Object.keys(values).find((q) => !target.quantities.some((k) => k.quantity === q)) ?? '';
        const message = msg('devices.measures_no', { quantity });
        throw AppError.badRequest('devices.unknown_quantity', message, [
          { path: `/readings/${i}/values`, message },
        ]);
      }
      return r.values;
    };
    body.readings.forEach((reading, i) => {
      const time = reading.time ? new Date(reading.time).toISOString() : now.toISOString();
      const values = toValues(reading.values, i);
      for (const v of values)
        rows.push({
          deviceId: target.deviceId,
          observedAt: time,
          quantity: v.quantity,
          value: v.value,
          fCnt: null,
        });
      const uplink: Uplink = {
        devEui: device.devEui,
        fCnt: null,
        time,
        data: null,
        object: undefined,
        rssi: null,
        snr: null,
      };
      if (!latest || latest.uplink.time <= time) latest = { uplink, values };
    });
    const last = latest as { uplink: Uplink; values: ReturnType<typeof toValues> } | null;

    const stored = await this.db.transaction(async (tx) => {
      const fresh = await this.repo.insertReadings(tx, rows);
      if (last) {
        await this.repo.updateLinks(tx, [
          {
            deviceId: target.deviceId,
            seenAt: last.uplink.time,
            fCnt: null,
            rssi: null,
            snr: null,
            battery: null,
          },
        ]);
        if (fresh.count) await this.context.publish(tx, entityOf(target, last.uplink, last.values));
      }
      return fresh.count;
    });
    return { stored, duplicates: rows.length - stored };
  }
}
