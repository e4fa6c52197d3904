import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../../core/db/index.ts';
import type { AlertService, RuleAlert } from '../alerts/service.ts';
import type { ReadingRow } from '../devices/repository.ts';
import { advance, durable, silent, type Transition } from './engine.ts';
import type { Rule } from './model.ts';
import { ReadingQueue, type ReadingQueueOptions } from './reading-queue.ts';
import { type DeviceFacts, RuleRepository, stateJson } from './repository.ts';
import { ruleAlert } from './rule-alert.ts';
import { RuleIndex } from './rule-index.ts';
import { type Entry, StateCache, stored, type Wanted } from './state-cache.ts';

const deviceTtlMs = 60_000;

const key = (ruleId: string, subject: string) => `${ruleId}|${subject}`;

type Point = { t: number; v: number };

interface Change {
  rule: Rule;
  device: DeviceFacts;
  transition: Exclude<Transition, null>;
  value: number | null;
}

export interface EvaluatorOptions {
  /** How often firing flags changed without an alert change are written to `rule_state` (ms). */
  checkpointMs?: number;
  /** States not used for this long are dropped from memory after a checkpoint (ms). */
  idleMs?: number;
  /** Bounds of the queue between ingestion and evaluation (`enqueue`). */
  queue?: ReadingQueueOptions;
  /** Told of each batch's fires and clears once their transaction has committed (benchmarks). */
  onCommitted?: (
    changes: { ruleId: string; subject: string; transition: 'fire' | 'clear'; at: number }[],
  ) => void;
}

/**
 * Runs the enabled rules on readings as they are committed, and the no-data rules on a timer. Rules
 * are indexed in memory by quantity and scope (refreshed whenever a rule changes), so a reading meets
 * only the rules that can match its device. Each (rule, subject) state is kept in memory and stepped
 * in place; `rule_state` holds its firing flags, written in the same transaction as every alert the
 * state raises or resolves, and otherwise at checkpoints (every `checkpointMs` once started, and on
 * stop); the rest is rebuilt from the stored readings when a state is first loaded (`StateCache`),
 * so a restart resumes where the readings left it. A subject is a device.
 */
export class RuleEvaluator {
  readonly repo: RuleRepository;
  private index = new RuleIndex([]);
  private noData: Rule[] = [];
  private readonly states: StateCache;
  private devices = new Map<string, { facts: DeviceFacts; at: number }>();
  /** (device, quantity) → the rules matching it and their entries, in the same order. */
  private groupCache = new Map<
    string,
    { index: RuleIndex; device: DeviceFacts; rules: Rule[]; entries: Entry[] }
  >();
  private groupsGeneration = -1;
  /** Readings, sweeps and checkpoints run one at a time, so two never step the same state at once. */
  private chain: Promise<unknown> = Promise.resolve();
  private checkpoints: Promise<unknown> = Promise.resolve();
  /**
   * The alert transactions, one after another in the order their batches were stepped; the next batch
   * is stepped while one is under way. Never rejects (each caller gets its own outcome).
   */
  private commits: Promise<unknown> = Promise.resolve();
  /** Counts failed alert transactions: a batch stepped before one failed is not written (`commit`). */
  private failures = 0;
  /** Time spent stepping batches (loads included) and in their alert transactions, ms (benchmarks). */
  readonly stats = { steppingMs: 0, committingMs: 0, batches: 0 };
  private timers: NodeJS.Timeout[] = [];
  private loaded: Promise<void> | null = null;
  /** Readings committed by the ingestion worker, waiting for `onReadings` (`enqueue`). */
  readonly queue: ReadingQueue;

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertService,
    private readonly log: FastifyBaseLogger,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.repo = new RuleRepository(db);
    this.states = new StateCache(this.repo);
    this.queue = new ReadingQueue((rows) => this.step(rows), log, options.queue);
  }

  /**
   * The ingestion worker's hand-off (`afterCommit`): queues freshly committed readings for evaluation
   * and resolves at once, or, when the queue is full, once there is room (backpressure). The worker
   * goes on to its next batch while these are evaluated; `settled()` waits for them.
   */
  enqueue(rows: ReadingRow[]): Promise<void> {
    return this.queue.push(rows);
  }

  /** Resolves once every reading enqueued so far has been evaluated and its alerts committed. */
  settled(): Promise<void> {
    return this.queue.idle();
  }

  /** Reloads the in-memory index; call after any rule change. */
  refresh(): Promise<void> {
    this.loaded = (async () => {
      const rules = await this.repo.enabled();
      this.index = new RuleIndex(rules);
      this.noData = rules.filter((r) => r.params.kind === 'noData');
      this.states.retain(new Map(rules.map((r) => [r.id, r.updatedAt])));
    })();
    return this.loaded;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async facts(ids: string[]): Promise<Map<string, DeviceFacts>> {
    const now = Date.now();
    const missing = ids.filter((id) => (this.devices.get(id)?.at ?? 0) < now - deviceTtlMs);
    for (const d of await this.repo.devices(missing)) this.devices.set(d.id, { facts: d, at: now });
    return new Map(ids.flatMap((id) => (this.devices.has(id) ? [[id, this.devices.get(id)!.facts]] : [])));
  }

  /**
   * Evaluates freshly committed readings (the ingestion worker's afterCommit); resolves once the
   * alerts they raise or resolve are committed.
   */
  async onReadings(rows: ReadingRow[]): Promise<number> {
    return await (await this.step(rows)).committed;
  }

  /**
   * Steps the states with the readings in the evaluation's turn, and resolves once that is done with
   * the promise of their alert transaction (`committed`, resolving with the number of changes), which
   * runs after those of the batches stepped before it: the queue steps the next readings in Node
   * while PostgreSQL commits these alerts.
   */
  private step(rows: ReadingRow[]): Promise<{ committed: Promise<number> }> {
    return this.serial(async () => {
      const started = performance.now();
      // A batch stepped while an earlier one's transaction fails is not written (see `commit`).
      const failures = this.failures;
      await (this.loaded ?? this.refresh());
      const index = this.index;
      const relevant = rows.filter((r) => index.has(r.quantity));
      if (!relevant.length) return { committed: this.commit([], [], failures) };
      const facts = await this.facts([...new Set(relevant.map((r) => r.deviceId))]);
      // (device, quantity) → its readings in time order; the rules matching it are looked up once per
      // batch, and their (rule, device) pairs share the sorted readings.
      const groups = new Map<
        string,
        { device: DeviceFacts; quantity: string; points: { t: number; v: number }[] }
      >();
      for (const r of relevant) {
        const device = facts.get(r.deviceId);
        if (!device) continue;
        const k = `${r.deviceId}|${r.quantity}`;
        const point = { t: Date.parse(r.observedAt), v: r.value };
        const g = groups.get(k);
        if (g) g.points.push(point);
        else groups.set(k, { device, quantity: r.quantity, points: [point] });
      }
      // Each group's rules and entries are kept from batch to batch (until the index, the device's
      // facts or the cache's entries change): a warm group costs no lookup per (rule, device) pair.
      if (this.groupsGeneration !== this.states.generation) {
        this.groupCache.clear();
        this.groupsGeneration = this.states.generation;
      }
      const items: {
        rules: Rule[];
        entries: Entry[];
        device: DeviceFacts;
        quantity: string;
        points: Point[];
      }[] = [];
      const cold: { k: string; item: (typeof items)[number] }[] = [];
      for (const [k, g] of groups) {
        if (g.points.length > 1) g.points.sort((a, b) => a.t - b.t);
        const c = this.groupCache.get(k);
        if (c && c.index === index && c.device === g.device) {
          items.push({
            rules: c.rules,
            entries: c.entries,
            device: g.device,
            quantity: g.quantity,
            points: g.points,
          });
          continue;
        }
        const item = {
          rules: index.matching(g.quantity, g.device),
          entries: [],
          device: g.device,
          quantity: g.quantity,
          points: g.points,
        };
        items.push(item);
        cold.push({ k, item });
      }
      const now = Date.now();
      const wanted: Wanted[] = [];
      const owner: { item: (typeof items)[number]; rule: Rule }[] = [];
      for (const { item } of cold)
        for (const rule of item.rules) {
          wanted.push({ rule, subject: item.device.id, quantity: rule.quantity, before: item.points[0].t });
          owner.push({ item, rule });
        }
      const { entries, replayed } = await this.states.load(wanted, now);
      for (let i = 0; i < entries.length; i++) owner[i].item.entries.push(entries[i]);
      if (this.groupsGeneration === this.states.generation)
        for (const { k, item } of cold)
          this.groupCache.set(k, { index, device: item.device, rules: item.rules, entries: item.entries });
      const changes: (Change & { entry: Entry; at: number })[] = replayed.map((r) => ({
        rule: owner[r.index].rule,
        device: owner[r.index].item.device,
        transition: r.transition,
        value: r.value,
        entry: entries[r.index],
        at: r.at,
      }));
      const touched: Entry[] = [];
      for (const w of items)
        for (let j = 0; j < w.rules.length; j++) {
          const rule = w.rules[j];
          const e = w.entries[j];
          e.usedAt = now;
          touched.push(e);
          for (const p of w.points) {
            const transition = advance(rule.params, e.state, p.t, p.v, p);
            if (transition)
              changes.push({ rule, device: w.device, transition, value: p.v, entry: e, at: p.t });
          }
          // Only what the stored readings cannot rebuild needs a row (see docs/rules.md, "Durability").
          e.dirty = durable(e.params, e.state) !== e.mark;
        }
      // How far each device's readings were taken, written with the alerts: a rebuild does not replay
      // them (so a pair whose alert was raised and resolved here needs no row of its own).
      const progress = items.map((w) => ({
        subject: w.device.id,
        quantity: w.quantity,
        lastAt: w.points[w.points.length - 1].t,
      }));
      this.stats.steppingMs += performance.now() - started;
      this.stats.batches++;
      return { committed: this.commit(touched, changes, failures, progress) };
    });
  }

  /** Raises no-data alerts for subjects silent too long; the timer calls it, tests call it with `now`. */
  sweep(now = Date.now()): Promise<number> {
    return this.serial(async () => {
      const failures = this.failures;
      await (this.loaded ?? this.refresh());
      const touched: Entry[] = [];
      const changes: (Change & { entry: Entry; at: number })[] = [];
      for (const rule of this.noData) {
        if (rule.params.kind !== 'noData') continue;
        const devices = await this.repo.devicesIn(rule.scope);
        const { entries } = await this.states.load(
          devices.map((d) => ({ rule, subject: d.id })),
          Date.now(),
        );
        const since = Date.parse(rule.updatedAt);
        for (const [i, d] of devices.entries()) {
          const e = entries[i];
          touched.push(e);
          if (e.state.firing || !silent(rule.params.minutes, e.state.lastAt, since, now)) continue;
          e.state.firing = true;
          e.dirty = true;
          changes.push({ rule, device: d, transition: 'fire', value: null, entry: e, at: now });
        }
      }
      return await this.commit(touched, changes, failures);
    });
  }

  /**
   * Writes the states whose alerts change together with those alerts, in one transaction, after the
   * transactions of the batches stepped before (the rows are taken now: the states move on while it
   * waits); other states stay dirty for the next checkpoint. Resolves with the number of changes once
   * committed. If the write fails, every state in memory is forgotten (the batch stepped meanwhile
   * built on this one's), so the next readings start again from the durable copies and the stored
   * readings, which raise what was lost (`StateCache.load`); a batch stepped before that failure
   * (`failures` as it was when its stepping began) is not written and its states are forgotten too.
   */
  private commit(
    touched: Entry[],
    changes: (Change & { entry: Entry; at: number })[],
    failures: number,
    progress: { subject: string; quantity: string; lastAt: number }[] = [],
  ): Promise<number> {
    // Rows for the pairs whose firing flags changed; one that fired and cleared (or cleared and fired)
    // here is as its row says, and `progress` keeps its readings from being replayed.
    const withAlerts = [...new Set(changes.map((c) => c.entry))].filter(
      (e) => durable(e.params, e.state) !== e.mark,
    );
    const rows = withAlerts.length ? stateJson(withAlerts.map(stored)) : '';
    const marks = withAlerts.map((e) => durable(e.params, e.state));
    const run = this.commits.then(async () => {
      if (failures !== this.failures) {
        this.states.drop(touched);
        if (!changes.length) return 0;
        throw new Error('rules: not written, an alert transaction before this batch failed');
      }
      if (!changes.length) return 0;
      const started = performance.now();
      try {
        await this.db.transaction(async (tx) => {
          if (rows) await this.repo.saveStatesJson(tx, rows);
          await this.repo.saveProgress(tx, progress);
          await this.apply(tx, changes);
        });
      } catch (err) {
        this.failures++;
        this.states.clear();
        throw err;
      } finally {
        this.stats.committingMs += performance.now() - started;
      }
      for (const [i, e] of withAlerts.entries()) {
        e.mark = marks[i];
        e.dirty = durable(e.params, e.state) !== e.mark;
      }
      this.options.onCommitted?.(
        changes.map((c) => ({ ruleId: c.rule.id, subject: c.device.id, transition: c.transition, at: c.at })),
      );
      return changes.length;
    });
    this.commits = run.catch(() => {});
    return run;
  }

  /**
   * Writes every state changed since its last write; returns how many. The states are copied in the
   * evaluation's turn, but written outside it, so readings go on being evaluated while the rows go
   * to the database (checkpoints themselves run one at a time).
   */
  checkpoint(): Promise<number> {
    const run = this.checkpoints.then(async () => {
      const snapshot = await this.serial(async () => {
        // Only what committed batches left: a flag a batch in flight changed builds on alerts that
        // may yet fail to land.
        await this.commits;
        const dirty = this.states.dirty();
        for (const e of dirty) {
          e.dirty = false;
          e.mark = durable(e.params, e.state);
        }
        this.states.evict(Date.now() - (this.options.idleMs ?? 3_600_000));
        // Serialised here, in the turn, as the snapshot (cheaper than a deep copy serialised later), in
        // slices, so one statement's JSON stays small whatever the number of active pairs.
        const slices: string[] = [];
        for (let i = 0; i < dirty.length; i += 2000)
          slices.push(stateJson(dirty.slice(i, i + 2000).map(stored)));
        return { slices, count: dirty.length };
      });
      for (const json of snapshot.slices)
        await this.db.transaction((tx) => this.repo.saveStatesJson(tx, json, true));
      return snapshot.count;
    });
    this.checkpoints = run.catch(() => {});
    return run;
  }

  /**
   * A changed or deleted rule starts over: its open alerts are resolved, since no later clear of the
   * old condition will come to resolve them.
   */
  async resolveOpen(tx: Executor, ruleId: string): Promise<void> {
    const open = await this.db.rows<{ subject: string }>(
      sql`SELECT subject FROM alert_alerts WHERE rule_id = ${ruleId} AND status <> 'resolved'`,
      tx,
    );
    for (const { subject } of open) await this.alerts.resolveFromRule(ruleId, subject, tx);
  }

  /**
   * Raises and resolves the batch's alerts a few statements at a time. A pair may fire and clear more
   * than once in a batch: its n-th write goes in the n-th round, so each pair's changes keep their
   * order. A fire followed by a clear of the same pair (a private rule's) is one write, an alert
   * inserted already resolved with the audit rows and events of both (`raiseResolvedManyFromRule`):
   * the batch is one transaction, so no one could have seen it open between the two anyway.
   */
  private async apply(tx: Executor, changes: Change[]): Promise<void> {
    const pairs = new Map<string, Change[]>();
    for (const c of changes) {
      const k = key(c.rule.id, c.device.id);
      const list = pairs.get(k);
      if (list) list.push(c);
      else pairs.set(k, [c]);
    }
    const rounds: { raise: Change[]; flash: Change[]; clear: Change[] }[] = [];
    for (const list of pairs.values())
      for (let i = 0, n = 0; i < list.length; i++, n++) {
        rounds[n] ??= { raise: [], flash: [], clear: [] };
        const c = list[i];
        if (c.transition === 'clear') rounds[n].clear.push(c);
        else if (!c.rule.public && list[i + 1]?.transition === 'clear') {
          rounds[n].flash.push(c);
          i++;
        } else rounds[n].raise.push(c);
      }
    for (const round of rounds) {
      const raises: RuleAlert[] = [];
      for (const c of round.raise)
        raises.push(await ruleAlert(tx, c.rule, c.device, c.value, this.repo, this.alerts));
      const flashes: RuleAlert[] = [];
      for (const c of round.flash)
        flashes.push(await ruleAlert(tx, c.rule, c.device, c.value, this.repo, this.alerts));
      await this.alerts.raiseManyFromRule(raises, tx);
      await this.alerts.raiseResolvedManyFromRule(flashes, tx);
      await this.alerts.resolveManyFromRule(
        round.clear.map((c) => ({ ruleId: c.rule.id, subject: c.device.id })),
        tx,
      );
    }
  }

  /**
   * Sweeps every `everyMs` until stopped; a failed sweep is logged and the next one tries again. Each
   * tick reloads the rules too, so a change made through another platform process arrives here.
   * Checkpoints run every `checkpointMs` (default 5 s).
   */
  start(everyMs = 60_000): void {
    if (this.timers.length) return;
    const sweep = setInterval(() => {
      this.refresh()
        .then(() => this.sweep())
        .catch((err) => this.log.error({ err }, 'rules: no-data sweep failed'));
    }, everyMs);
    const checkpoint = setInterval(() => {
      this.checkpoint().catch((err) => this.log.error({ err }, 'rules: state checkpoint failed'));
    }, this.options.checkpointMs ?? 5000);
    this.timers = [sweep, checkpoint];
    for (const t of this.timers) t.unref();
  }

  /**
   * Stops the timers, evaluates the readings still queued (stop the ingestion worker first) and writes
   * the states not yet written, so a restart resumes from them.
   */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.queue.idle();
    await this.chain;
    await this.commits;
    await this.checkpoints;
    try {
      await this.checkpoint();
    } catch (err) {
      this.log.error({ err }, 'rules: final state checkpoint failed');
    }
  }
}
