import { type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../db/index.ts';

/**
 * The typed catalogue of domain events. Each module adds its own by declaration merging:
 * `declare module '../../core/events/outbox.ts' { interface EventMap { 'complaint.created': {...} } }`
 */
export interface EventMap {
  'user.created': { userId: string; kind: 'staff' | 'citizen' };
  'office.created': { officeId: string; code: string };
}
export type EventType = keyof EventMap;

export interface DomainEvent<K extends EventType = EventType> {
  id: string;
  type: K;
  payload: EventMap[K];
  createdAt: string;
  attempts: number;
}

type Handler<K extends EventType> = (event: DomainEvent<K>) => Promise<void> | void;

interface Subscription {
  name: string;
  type: EventType | '*';
  handler: Handler<EventType>;
}

const leaseSeconds = 60;
const maxBackoffSeconds = 3600;

/**
 * Outbox-backed events: `publish` writes inside the caller's transaction, so an event exists exactly
 * when its change does; a dispatcher then hands it to in-process subscribers at least once. A claimed
 * row carries a lease, so after a crash it is delivered again when the lease runs out.
 */
export class Events {
  private subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 1000,
  ) {}

  subscribe<K extends EventType>(type: K | '*', name: string, handler: Handler<K>): void {
    this.subscriptions.push({ name, type, handler: handler as unknown as Handler<EventType> });
  }

  async publish<K extends EventType>(on: Executor, type: K, payload: EventMap[K]): Promise<void> {
    await on.execute(
      sql`INSERT INTO core_outbox (type, payload) VALUES (${type}, ${JSON.stringify(payload)}::jsonb)`,
    );
    this.kick();
  }

  /** Many events of one type in one statement, in the order given. */
  async publishMany<K extends EventType>(on: Executor, type: K, payloads: EventMap[K][]): Promise<void> {
    if (!payloads.length) return;
    await on.execute(
      sql`INSERT INTO core_outbox (type, payload)
        SELECT ${type}, p FROM jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) WITH ORDINALITY AS x(p, n)
        ORDER BY n`,
    );
    this.kick();
  }

  /**
   * One event per row of `source` (a CTE of the same statement), as the body of another CTE, `payload`
   * SQL over the source's columns; call `kick()` once the statement has run.
   */
  publishFrom<K extends EventType>(type: K, payload: SQL, source: SQL): SQL {
    return sql`INSERT INTO core_outbox (type, payload) SELECT ${type}::text, ${payload} FROM ${source}`;
  }

  /**
   * `publishFrom` for several (type, payload, source) parts in one insert: every event of a part comes
   * before those of the next (e.g. an alert's `alert.raised` before its `alert.resolved`, which two
   * CTEs of one statement would not promise).
   */
  publishFromEach(parts: { type: EventType; payload: SQL; source: SQL }[]): SQL {
    const rows = sql.join(
      parts.map(
        (p, i) =>
          sql`SELECT ${i}::int AS n, ${p.type}::text AS type, ${p.payload} AS payload FROM ${p.source}`,
      ),
      sql` UNION ALL `,
    );
    return sql`INSERT INTO core_outbox (type, payload) SELECT e.type, e.payload FROM (${rows}) e ORDER BY e.n`;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Dispatch soon (after the publishing transaction has had time to commit). */
  kick(): void {
    if (!this.stopped) this.schedule(20);
  }

  /** Delivers everything that is due now; returns how many events were handled. For tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dispatchOnce();
      if (n === 0) return total;
      total += n;
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = (this.running ?? Promise.resolve())
        .then(() => this.drain())
        .then(
          () => undefined,
          (err) => this.log.error({ err }, 'event dispatch failed'),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped && !this.timer) this.schedule(this.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  private async dispatchOnce(): Promise<number> {
    const claimed = await this.db.rows<DomainEvent & { createdAt: Date | string }>(sql`
      UPDATE core_outbox SET available_at = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM core_outbox WHERE delivered_at IS NULL AND available_at <= now()
        ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, type, payload, created_at AS "createdAt", attempts`);
    claimed.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    // Delivered events are marked together, one statement per claim rather than one per event (an
    // alert storm puts thousands in the outbox on the database ingestion writes to). A crash before the
    // mark delivers the claim's events again when the lease runs out: at least once, as before.
    const delivered: string[] = [];
    for (const event of claimed) {
      const failure = await this.deliver(event as DomainEvent);
      if (failure === null) {
        delivered.push(event.id);
      } else {
        const backoff = Math.min(maxBackoffSeconds, 2 ** Math.min(event.attempts, 12));
        await this.db.orm.execute(sql`UPDATE core_outbox
          SET available_at = now() + make_interval(secs => ${backoff}), last_error = ${failure.slice(0, 2000)}
          WHERE id = ${event.id}::bigint`);
      }
    }
    if (delivered.length)
      await this.db.orm.execute(sql`UPDATE core_outbox SET delivered_at = now(), last_error = NULL
        WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(delivered)}::jsonb)::bigint)`);
    return claimed.length;
  }

  private async deliver(event: DomainEvent): Promise<string | null> {
    const failures: string[] = [];
    for (const s of this.subscriptions) {
      if (s.type !== '*' && s.type !== event.type) continue;
      try {
        await s.handler(event);
      } catch (err) {
        this.log.warn({ err, event: event.id, subscriber: s.name }, 'event subscriber failed; will retry');
        failures.push(`${s.name}: ${(err as Error).message}`);
      }
    }
    return failures.length ? failures.join('; ') : null;
  }
}
