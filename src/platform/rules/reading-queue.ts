import type { FastifyBaseLogger } from 'fastify';
import type { ReadingRow } from '../devices/repository.ts';

/**
 * What an evaluation may resolve to: evaluated, its writes still under way. The queue then takes and
 * starts the next evaluation while they finish (at most one such write outstanding: the evaluation after
 * that waits for it), and `idle()` waits for them too.
 */
export interface Evaluated {
  committed: Promise<unknown>;
}

const isEvaluated = (x: unknown): x is Evaluated =>
  typeof x === 'object' && x !== null && 'committed' in x && x.committed instanceof Promise;

export interface ReadingQueueOptions {
  /** `push` waits while this many readings are waiting (default 20,000). */
  limit?: number;
  /** At most this many readings are handed to one evaluation (default 10,000). */
  batch?: number;
  /**
   * Aim for evaluations of about this long: each takes as many readings as the last ones took per
   * reading fit in it (at least 50). Off by default (`Infinity`): with many rules per device, a batch
   * costs a step per (rule, device) pair it touches whatever its readings, so smaller batches cost more
   * in all and the alerts waited longer in the benchmark (`docs/benchmarks.md`, branch `rulesstate`).
   */
  batchMs?: number;
}

/**
 * Committed readings on their way to the rules. The ingestion worker pushes each batch it stored and
 * goes on to its next one while a single consumer evaluates them, in arrival order, as many at once as
 * have arrived (up to `batch`, fewer when evaluations would last much beyond `batchMs` if set), so
 * evaluation overlaps ingestion. `push` waits only while `limit`
 * readings are already waiting: memory stays bounded (at most `limit` waiting plus the batch pushed
 * last plus the one being evaluated) and a slower evaluator slows ingestion rather than falling ever
 * further behind. Pushes are taken one after another (the worker awaits each), so readings keep their
 * order. A failed evaluation is logged and the next one goes on, as the worker did with its listener.
 * An evaluation may hand back its writes still under way (`Evaluated`): the next one then starts while
 * they finish (the rules step the next readings in Node while PostgreSQL commits the last alerts).
 */
export class ReadingQueue {
  private waiting: ReadingRow[][] = [];
  private count = 0;
  private running: Promise<void> | null = null;
  private pushes: Promise<void> = Promise.resolve();
  private space: (() => void)[] = [];
  /** Wakes the consumer waiting for writes when readings arrive, so it steps them meanwhile. */
  private arrived: (() => void) | null = null;
  private readonly limit: number;
  private readonly batch: number;
  private readonly batchMs: number;
  /** Recent evaluation time per reading (ms), a moving average. */
  private perReading = 0;
  /** Times a push had to wait for room (the evaluator was behind). */
  waits = 0;

  constructor(
    private readonly evaluate: (rows: ReadingRow[]) => Promise<unknown | Evaluated>,
    private readonly log: FastifyBaseLogger,
    options: ReadingQueueOptions = {},
  ) {
    this.limit = Math.max(1, options.limit ?? 20_000);
    this.batch = Math.max(1, options.batch ?? 10_000);
    this.batchMs = options.batchMs ?? Number.POSITIVE_INFINITY;
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
      this.arrived?.();
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
      // The writes of the evaluation before, if it handed them back (`Evaluated`): the next evaluation
      // runs while they finish, the one after it waits for them, so at most one is outstanding.
      let writing: Promise<unknown> | null = null;
      for (;;) {
        if (!this.waiting.length) {
          if (!writing) break;
          // until the writes are done, or readings arrive to be stepped meanwhile
          const done = await Promise.race([
            writing.then(() => true),
            new Promise<false>((ok) => {
              this.arrived = () => ok(false);
            }),
          ]);
          this.arrived = null;
          if (done) writing = null;
          continue;
        }
        const rows = this.take();
        const start = performance.now();
        let committed: Promise<unknown> | null = null;
        try {
          const result = await this.evaluate(rows);
          if (isEvaluated(result))
            committed = result.committed.catch((err) =>
              this.log.error({ err, readings: rows.length }, 'rules: writing evaluated readings failed'),
            );
        } catch (err) {
          this.log.error({ err, readings: rows.length }, 'rules: evaluating queued readings failed');
        }
        if (writing) await writing;
        writing = committed;
        const per = (performance.now() - start) / rows.length;
        this.perReading = this.perReading ? (this.perReading + per) / 2 : per;
      }
    })().finally(() => {
      this.running = null;
      // A push that landed between the loop's last check and here.
      if (this.waiting.length) this.pump();
    });
  }

  /** How many readings the next evaluation takes: `batch`, or fewer to stay near `batchMs`. */
  private takeSize(): number {
    if (!this.perReading || !Number.isFinite(this.batchMs)) return this.batch;
    return Math.max(
      Math.min(50, this.batch),
      Math.min(this.batch, Math.floor(this.batchMs / this.perReading)),
    );
  }

  /** The oldest waiting readings, in order, up to `takeSize()` (a pushed batch may be split). */
  private take(): ReadingRow[] {
    const max = this.takeSize();
    const out: ReadingRow[] = [];
    while (this.waiting.length && out.length < max) {
      const rows = this.waiting[0];
      const room = max - out.length;
      if (rows.length <= room) {
        this.waiting.shift();
        for (const r of rows) out.push(r);
      } else {
        for (let i = 0; i < room; i++) out.push(rows[i]);
        this.waiting[0] = rows.slice(room);
      }
    }
    this.count -= out.length;
    for (const wake of this.space.splice(0)) wake();
    return out;
  }
}
