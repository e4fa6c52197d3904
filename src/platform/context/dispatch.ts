import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../../core/db/index.ts';

/** A notification waiting in `ctx_notifications`. */
export interface QueuedNotification {
  id: string;
  tenant: string;
  subscriptionId: string;
  notificationId: string;
  data: Record<string, unknown>[];
  /** Attempts so far, this one included. */
  attempts: number;
}

/** Sends one notification; throws to have it retried later. */
export type Deliver = (n: QueuedNotification) => Promise<void>;

/** A claimed row is not taken again before this, so a crashed process's deliveries are retried after it. */
const leaseSeconds = 60;
const maxBackoffSeconds = 3600;

/** Queues a notification in the caller's transaction (the one that makes the change it reports). */
export async function queueNotification(
  on: Executor,
  n: Omit<QueuedNotification, 'id' | 'attempts'>,
): Promise<void> {
  await on.execute(sql`INSERT INTO ctx_notifications (tenant, subscription_id, notification_id, data)
    VALUES (${n.tenant}, ${n.subscriptionId}, ${n.notificationId}, ${JSON.stringify(n.data)}::jsonb)`);
}

/**
 * Delivers queued NGSI-LD notifications, each subscription's in order, several subscriptions at once:
 * only the oldest row of a subscription (its queue's head) can be taken, and it stays leased while it
 * is delivered or backing off, so a slow or dead endpoint holds back its own subscription and nothing
 * else. At most `concurrency` deliveries run at a time.
 */
export class NotificationDispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private filling: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Deliveries finished (delivered or backed off), so `drain` can tell whether one ended during a claim. */
  private finished = 0;

  constructor(
    private readonly db: Db,
    private readonly deliver: Deliver,
    private readonly log: FastifyBaseLogger,
    private readonly opts: { concurrency?: number; pollMs?: number } = {},
  ) {}

  private get concurrency(): number {
    return this.opts.concurrency ?? 8;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops taking new rows and waits for the deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.filling.catch(() => 0);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Dispatch soon (after the queuing transaction has had time to commit). */
  kick(ms = 20): void {
    if (!this.stopped) this.schedule(ms);
  }

  /** Delivers everything that is due, waiting for it; returns how many were taken. For tests and tools. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const finished = this.finished;
      const n = await this.fill();
      total += n;
      if (n > 0) continue;
      if (this.inFlight.size > 0) await Promise.race(this.inFlight.values());
      // A delivery that ended while the claim ran (another connection) may have made its subscription's
      // next row the head after the claim looked: claim once more before calling the queue drained.
      else if (this.finished === finished) return total;
    }
  }

  /** Deliveries under way (tests). */
  get pending(): number {
    return this.inFlight.size;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fill()
        .catch((err) => this.log.error({ err }, 'NGSI-LD notification dispatch failed'))
        .finally(() => {
          if (!this.stopped && !this.timer) this.schedule(this.opts.pollMs ?? 1000);
        });
    }, ms);
    this.timer.unref();
  }

  /** Takes as many queue heads as there are free slots and starts their deliveries (serialised). */
  private fill(): Promise<number> {
    this.filling = this.filling.catch(() => 0).then(() => this.claimAndStart());
    return this.filling;
  }

  private async claimAndStart(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const rows = await this.db.rows<QueuedNotification>(sql`
      UPDATE ctx_notifications SET available_at = now() + make_interval(secs => ${leaseSeconds}),
        attempts = attempts + 1
      WHERE available_at <= now() AND id IN (
        SELECT id FROM (
          SELECT DISTINCT ON (tenant, subscription_id) id, available_at FROM ctx_notifications
          ORDER BY tenant, subscription_id, id) AS heads
        WHERE available_at <= now() ORDER BY id LIMIT ${free})
      RETURNING id::text AS id, tenant, subscription_id AS "subscriptionId",
        notification_id AS "notificationId", data, attempts`);
    for (const row of rows) {
      const run = this.run(row).finally(() => {
        this.finished++;
        this.inFlight.delete(row.id);
        // The subscription's next notification is its queue's head now.
        this.kick(0);
      });
      this.inFlight.set(row.id, run);
    }
    return rows.length;
  }

  private async run(row: QueuedNotification): Promise<void> {
    try {
      await this.deliver(row);
      await this.db.orm.execute(sql`DELETE FROM ctx_notifications WHERE id = ${row.id}::bigint`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const backoff = Math.min(maxBackoffSeconds, 2 ** Math.min(row.attempts, 12));
      await this.db.orm
        .execute(sql`UPDATE ctx_notifications
          SET available_at = now() + make_interval(secs => ${backoff}), last_error = ${reason.slice(0, 2000)}
          WHERE id = ${row.id}::bigint`)
        .catch((e) => this.log.error({ err: e }, 'NGSI-LD notification retry could not be noted'));
    }
  }
}

/** The dispatcher of each database's broker, so the process that serves it can start it. */
const dispatchers = new WeakMap<Db, NotificationDispatcher>();

export function registerDispatcher(db: Db, d: NotificationDispatcher): void {
  dispatchers.set(db, d);
}

export function notificationDispatcher(db: Db): NotificationDispatcher | undefined {
  return dispatchers.get(db);
}
