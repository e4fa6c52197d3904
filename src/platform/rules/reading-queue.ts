import type { FastifyBaseLogger } from 'fastify';
import type { ReadingRow } from '../devices/repository.ts';

export interface ReadingQueueOptions {
  /** `push` waits while this many readings are waiting (default 20,000). */
  limit?: number;
  /** At most this many readings are handed to one evaluation (default 10,000). */
  batch?: number;
}

/**
 * Committed readings on their way to the rules. The ingestion worker pushes each batch it stored and
 * goes on to its next one while a single consumer evaluates them, in arrival order, as many at once as
 * have arrived (up to `batch`), so evaluation overlaps ingestion. `push` waits only while `limit`
 * readings are already waiting: memory stays bounded (at most `limit` waiting plus the batch pushed
 * last plus the one being evaluated) and a slower evaluator slows ingestion rather than falling ever
 * further behind. Pushes are taken one after another (the worker awaits each), so readings keep their
 * order. A failed evaluation is logged and the next one goes on, as the worker did with its listener.
 */
export class ReadingQueue {
  private waiting: ReadingRow[][] = [];
  private count = 0;
  private running: Promise<void> | null = null;
  private pushes: Promise<void> = Promise.resolve();
  private space: (() => void)[] = [];
  private readonly limit: number;
  private readonly batch: number;
  /** Times a push had to wait for room (the evaluator was behind). */
  waits = 0;

  constructor(
    private readonly evaluate: (rows: ReadingRow[]) => Promise<unknown>,
    private readonly log: FastifyBaseLogger,
    options: ReadingQueueOptions = {},
  ) {
    this.limit = Math.max(1, options.limit ?? 20_000);
    this.batch = Math.max(1, options.batch ?? 10_000);
  }

  /** Readings waiting, not yet handed to an evaluation. */
  get size(): number {
    return this.count;
  }

  /** Queues the readings; resolves at once unless the queue is full, then once there is room. */
  push(rows: ReadingRow[]): Promise<void> {
    if (!rows.length) return Promise.resolve();
    const run = this.pushes.then(async () => {
      if (this.count >= this.limit) this.waits++;
      while (this.count >= this.limit) await new Promise<void>((ok) => this.space.push(ok));
      this.waiting.push(rows);
      this.count += rows.length;
      this.pump();
    });
    this.pushes = run;
    return run;
  }

  /** Resolves once every reading pushed so far has been evaluated (stop, tests). */
  async idle(): Promise<void> {
    await this.pushes;
    while (this.running) await this.running;
  }

  private pump(): void {
    if (this.running) return;
    this.running = (async () => {
      while (this.waiting.length) {
        const rows = this.take();
        try {
          await this.evaluate(rows);
        } catch (err) {
          this.log.error({ err, readings: rows.length }, 'rules: evaluating queued readings failed');
        }
      }
    })().finally(() => {
      this.running = null;
      // A push that landed between the loop's last check and here.
      if (this.waiting.length) this.pump();
    });
  }

  /** The oldest waiting batches, whole, up to `batch` readings (at least one batch). */
  private take(): ReadingRow[] {
    const out: ReadingRow[] = [];
    while (this.waiting.length && (!out.length || out.length + this.waiting[0].length <= this.batch)) {
      const rows = this.waiting.shift()!;
      for (const r of rows) out.push(r);
    }
    this.count -= out.length;
    for (const wake of this.space.splice(0)) wake();
    return out;
  }
}
