import { sql } from 'drizzle-orm';
import { type Actor, audit } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Role } from '../../core/auth/roles.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { contextService } from '../context/service.ts';
import { type DeadLetterSelection, deadLetterWhere } from '../devices/dead-letter-filter.ts';
import { LinkRepository } from '../devices/link-repository.ts';
import { DeviceRepository, type ReadingRow, readingKey } from '../devices/repository.ts';
import { measure, parseUplink, type Uplink } from './chirpstack.ts';
import { parseGeneric, parseLinkEvent, topicKind } from './link-events.ts';
import { entityOf } from './worker.ts';

export type ReplayOutcome = 'stored' | 'duplicate' | 'failed' | 'forbidden';

export interface ReplayResult {
  id: string;
  outcome: ReplayOutcome;
  reason?: string;
  detail?: string | null;
}

interface Letter {
  id: string;
  topic: string;
  payload: string;
  receivedAt: string;
}

/**
 * Runs stored dead letters through today's parsers and profiles, as the ingest worker would have: a
 * message that now decodes stores its readings (the usual unique key drops what is already there, so a
 * second replay stores nothing twice), updates the device's link and entity, and the letter is marked
 * replayed (kept, with who and when). One that still fails keeps its place with the new reason.
 * Office-bound staff replay only messages of their own office's devices. Each letter is one transaction.
 */
export class DeadLetterReplay {
  readonly repo: DeviceRepository;
  private readonly links: LinkRepository;

  constructor(
    private readonly db: Db,
    /** Called with the readings a replay stored, after its commit: the rules, as for the worker's. */
    private readonly afterCommit?: (rows: ReadingRow[]) => Promise<unknown> | undefined,
  ) {
    this.repo = new DeviceRepository(db);
    this.links = new LinkRepository(db);
  }

  async letter(id: string): Promise<Letter | undefined> {
    const [row] = await this.db.rows<Letter>(
      sql`SELECT id, topic, encode(payload, 'base64') AS payload, to_json(received_at)#>>'{}' AS "receivedAt"
        FROM dev_dead_letters WHERE id = ${id}`,
    );
    return row;
  }

  /** Up to `limit` letters of a filter, oldest first (by default those not replayed yet). */
  async replayMatching(f: DeadLetterSelection, limit: number, actor: Actor) {
    const letters = await this.db.rows<Letter>(
      sql`SELECT id, topic, encode(payload, 'base64') AS payload, to_json(received_at)#>>'{}' AS "receivedAt"
        FROM dev_dead_letters WHERE ${deadLetterWhere({ replayed: false, ...f })}
        ORDER BY received_at, id LIMIT ${limit}`,
    );
    const results: ReplayResult[] = [];
    for (const l of letters) results.push(await this.replay(l, actor));
    const count = (o: ReplayOutcome) => results.filter((r) => r.outcome === o).length;
    await audit(this.db.orm, actor, {
      action: 'devices.dead_letter.replay_bulk',
      resourceType: 'devices.dead_letter',
      resourceId: null,
      detail: { filter: f, tried: results.length, stored: count('stored'), failed: count('failed') },
    });
    return {
      tried: results.length,
      stored: count('stored'),
      duplicate: count('duplicate'),
      failed: count('failed'),
      forbidden: count('forbidden'),
      results,
    };
  }

  async replay(letter: Letter, actor: Actor): Promise<ReplayResult> {
    const stored: ReadingRow[] = [];
    const result = await this.replayIn(letter, actor, stored);
    // After the commit, as the worker does: the rules see the readings a replay brought in too.
    if (stored.length && this.afterCommit) await this.afterCommit(stored);
    return result;
  }

  private async replayIn(letter: Letter, actor: Actor, stored: ReadingRow[]): Promise<ReplayResult> {
    const payload = Buffer.from(letter.payload, 'base64');
    const receivedAt = new Date(letter.receivedAt);
    const kind = topicKind(letter.topic);
    const bound = officeBoundRoles.includes(actor.role as Role);
    return this.db.transaction(async (tx) => {
      const fail = async (reason: string, detail: string | null): Promise<ReplayResult> => {
        await tx.execute(
          sql`UPDATE dev_dead_letters SET reason = ${reason}, detail = ${detail},
              replay_attempts = replay_attempts + 1 WHERE id = ${letter.id}`,
        );
        await this.audited(tx, actor, letter.id, 'failed', reason);
        return { id: letter.id, outcome: 'failed', reason, detail };
      };
      const owner = async (devEui: string) => {
        const [d] = await this.db.rows<{ id: string; officeId: string }>(
          sql`SELECT id, office_id AS "officeId" FROM dev_devices WHERE dev_eui = ${devEui}`,
          tx,
        );
        return d;
      };
      const forbidden = (d: { officeId: string }) => bound && d.officeId !== actor.officeId;

      if (kind === 'status' || kind === 'join') {
        const r = parseLinkEvent(letter.topic, payload, receivedAt);
        if (!r.ok) return fail(r.reason, r.detail);
        const d = await owner(r.event.devEui);
        if (!d) return fail('unknown-device', `no device with DevEUI ${r.event.devEui}`);
        if (forbidden(d)) return { id: letter.id, outcome: 'forbidden' };
        await this.links.storeEvents(tx, [{ ...r.event, deviceId: d.id }]);
        return this.done(tx, actor, letter.id, 'stored');
      }
      const parsed = (kind === 'generic' ? parseGeneric : parseUplink)(letter.topic, payload, receivedAt);
      if (!parsed.ok) return fail(parsed.reason, parsed.detail);
      const uplink: Uplink = parsed.uplink;
      const d = await owner(uplink.devEui);
      if (!d) return fail('unknown-device', `no device with DevEUI ${uplink.devEui}`);
      if (forbidden(d)) return { id: letter.id, outcome: 'forbidden' };
      const target = (await this.repo.ingestTargets([uplink.devEui], tx)).get(uplink.devEui)!;
      const measured = measure(uplink, target);
      if (!measured.ok) return fail(measured.reason, measured.detail);
      const rows = measured.values.map((v) => ({
        deviceId: target.deviceId,
        observedAt: uplink.time,
        quantity: v.quantity,
        value: v.value,
        fCnt: uplink.fCnt,
      }));
      const fresh = await this.repo.insertReadings(tx, rows);
      if (fresh.count === 0) return this.done(tx, actor, letter.id, 'duplicate');
      stored.push(...rows.filter((r) => fresh.keys.has(readingKey(r.deviceId, Date.parse(r.observedAt)))));
      await this.repo.updateLinks(tx, [
        {
          deviceId: target.deviceId,
          seenAt: uplink.time,
          fCnt: uplink.fCnt,
          rssi: uplink.rssi,
          snr: uplink.snr,
          battery:
            measured.values.find((v) => v.quantity === 'battery' || v.quantity === 'batteryLevel')?.value ??
            null,
        },
      ]);
      await this.links.sawGateways(
        tx,
        (uplink.gateways ?? []).map((g) => ({ ...g, deviceId: target.deviceId, seenAt: uplink.time })),
      );
      // Only if this is the device's newest news: an old message replayed must not roll the entity back.
      const [newest] = await this.db.rows<{ newest: boolean }>(
        sql`SELECT NOT EXISTS (SELECT 1 FROM dev_readings WHERE device_id = ${target.deviceId}
          AND observed_at > ${uplink.time}::timestamptz) AS newest`,
        tx,
      );
      if (newest.newest) await contextService(this.db).publish(tx, entityOf(target, uplink, measured.values));
      return this.done(tx, actor, letter.id, 'stored');
    });
  }

  /** Marked replayed once (the first success keeps its who and when; a later replay finds duplicates). */
  private async done(tx: Executor, actor: Actor, id: string, outcome: 'stored' | 'duplicate') {
    await tx.execute(
      sql`UPDATE dev_dead_letters SET replayed_at = COALESCE(replayed_at, now()),
          replayed_by = CASE WHEN replayed_at IS NULL THEN ${actor.id}::uuid ELSE replayed_by END,
          replay_attempts = replay_attempts + 1 WHERE id = ${id}`,
    );
    await this.audited(tx, actor, id, outcome);
    return { id, outcome };
  }

  private audited(tx: Executor, actor: Actor, id: string, outcome: string, reason?: string) {
    return audit(tx, actor, {
      action: 'devices.dead_letter.replay',
      resourceType: 'devices.dead_letter',
      resourceId: id,
      detail: { outcome, ...(reason ? { reason } : {}) },
    });
  }
}
