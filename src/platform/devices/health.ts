import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import type { Events } from '../../core/events/outbox.ts';
import { type Health, type HealthRow, LinkRepository } from './link-repository.ts';

declare module '../../core/events/outbox.ts' {
  interface EventMap {
    'device.health_changed': { deviceId: string; devEui: string; from: Health; to: Health; at: string };
  }
}

/** Missed this many expected intervals: late. */
export const lateAfter = 2;
/** Missed this many: offline. */
export const offlineAfter = 6;

/** A device's health at `now`: by how many of its expected intervals it has been silent. */
export function judge(row: Pick<HealthRow, 'lastSeenAt' | 'intervalS'>, now: Date): Health {
  // Never heard from since it was installed: nothing says it works.
  if (!row.lastSeenAt) return 'offline';
  const silentS = (now.getTime() - Date.parse(row.lastSeenAt)) / 1000;
  if (silentS >= offlineAfter * row.intervalS) return 'offline';
  if (silentS >= lateAfter * row.intervalS) return 'late';
  return 'online';
}

/**
 * Periodically judges every device's health and writes each change with its domain event in one
 * transaction (the outbox), so an event exists exactly when the change does.
 */
export class HealthSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly links: LinkRepository;

  constructor(
    private readonly db: Db,
    private readonly events: Events,
    private readonly log: FastifyBaseLogger,
    private readonly everyMs = 60_000,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.links = new LinkRepository(db);
  }

  /** Judges every device now; returns how many changed. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    const now = this.clock();
    const at = now.toISOString();
    const rows = await this.links.healthRows();
    const changes = rows.map((r) => ({ r, to: judge(r, now) })).filter(({ r, to }) => r.health !== to);
    if (!changes.length) return 0;
    return this.db.transaction(async (tx) => {
      let n = 0;
      for (const { r, to } of changes) {
        if (!(await this.links.setHealth(tx, r.id, r.health, to, at))) continue;
        await this.events.publish(tx, 'device.health_changed', {
          deviceId: r.id,
          devEui: r.devEui,
          from: r.health,
          to,
          at,
        });
        n++;
      }
      return n;
    });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((err) => this.log.error({ err }, 'device health sweep failed'));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
