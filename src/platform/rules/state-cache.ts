import {
  advance,
  durable,
  forget,
  initialState,
  lookback,
  restore,
  type SubjectState,
  type Transition,
} from './engine.ts';
import type { Rule, RuleParams } from './model.ts';
import type { RuleRepository, StoredState } from './repository.ts';

/** One (rule, subject) state as the evaluator holds it. */
export interface Entry {
  ruleId: string;
  subject: string;
  /** The rule's `updatedAt` the state belongs to: a checkpoint never writes a changed rule's old state. */
  version: string;
  params: RuleParams;
  state: SubjectState;
  /** Its `durable` mark differs from the one in `rule_state`: the next checkpoint writes it. */
  dirty: boolean;
  /** `durable` (engine.ts) as last written to, or read from, `rule_state`. */
  mark: number;
  usedAt: number;
}

/** A pair to load; `before` (the time of its first reading in the batch) asks for a rebuild. */
export interface Wanted {
  rule: Rule;
  subject: string;
  quantity?: string;
  before?: number;
}

/** A fire or clear found while rebuilding: a stored reading no evaluation took (a crash, a failed write). */
export interface Replayed {
  index: number;
  transition: Exclude<Transition, null>;
  at: number;
  value: number;
}

const key = (ruleId: string, subject: string) => `${ruleId}|${subject}`;
const minute = 60_000;
/** How far back (observed time) a rebuild evaluates stored readings newer than the durable copy. */
export const replayMinutes = 15;
/** Stored readings read per (device, quantity) for a rebuild, the latest. */
const replayLimit = 5000;

/**
 * The row of an entry: its firing flags and last reading's time. Windows and starts are left out
 * (`forget` empties them on load; the readings rebuild them), so a row stays small however long a
 * rate's window.
 */
export const stored = (e: Entry): StoredState => ({
  ruleId: e.ruleId,
  subject: e.subject,
  version: e.version,
  lastAt: e.state.lastAt,
  firing: e.state.firing,
  conditions: e.state.conditions.map((c) =>
    'window' in c ? { window: [], firing: c.firing } : { since: null, firing: c.firing },
  ),
});

/**
 * The evaluator's states in memory. `rule_state` is the durable copy of what readings cannot tell (the
 * firing flags, `durable`): read once when a pair is first needed, written with every alert change (in
 * the alert's transaction) and at checkpoints when a flag changed without one. The rest (rate windows,
 * a threshold's start) is rebuilt from `dev_readings` on that first load, so a batch of readings costs
 * no state reads or writes once its pairs are known, and a moving window costs no row.
 */
export class StateCache {
  private entries = new Map<string, Entry>();
  /** Moves whenever entries are forgotten or replaced, so lists of entries held elsewhere are redone. */
  generation = 0;

  constructor(private readonly repo: RuleRepository) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The entries of these pairs, in order. Pairs not in memory are read from `rule_state` in one query,
   * and those with `before` rebuilt from the stored readings before it (one more query): readings
   * within the rule's `lookback` rebuild windows and starts; readings newer than the durable copy and
   * within `replayMinutes` of `before` are evaluated as live ones, and their fires and clears returned
   * (readings stored but never evaluated: a crash with readings queued, a failed alert write).
   * Readings received before the rule's last change are not its history.
   */
  async load(pairs: Wanted[], now: number): Promise<{ entries: Entry[]; replayed: Replayed[] }> {
    const missing: number[] = [];
    for (const [i, p] of pairs.entries()) {
      const e = this.entries.get(key(p.rule.id, p.subject));
      if (!e || e.version !== p.rule.updatedAt) missing.push(i);
    }
    const replayed: Replayed[] = [];
    if (missing.length) {
      const found = new Map(
        (
          await this.repo.states(
            missing.map((i) => ({ ruleId: pairs[i].rule.id, subject: pairs[i].subject })),
          )
        ).map((s) => [key(s.ruleId, s.subject), s]),
      );
      const rebuild: number[] = [];
      for (const i of missing) {
        const p = pairs[i];
        const s = found.get(key(p.rule.id, p.subject));
        const state = s
          ? { lastAt: s.lastAt, firing: s.firing, conditions: s.conditions ?? [] }
          : initialState();
        if (p.before !== undefined && p.quantity !== undefined) {
          forget(p.rule.params, state);
          rebuild.push(i);
        }
        if (this.entries.has(key(p.rule.id, p.subject))) this.generation++;
        this.entries.set(key(p.rule.id, p.subject), {
          ruleId: p.rule.id,
          subject: p.subject,
          version: p.rule.updatedAt,
          params: p.rule.params,
          state,
          dirty: false,
          mark: durable(p.rule.params, state),
          usedAt: now,
        });
      }
      if (rebuild.length) await this.rebuild(pairs, rebuild, replayed);
    }
    const entries = pairs.map((p) => {
      const e = this.entries.get(key(p.rule.id, p.subject))!;
      e.usedAt = now;
      return e;
    });
    return { entries, replayed };
  }

  private async rebuild(pairs: Wanted[], which: number[], replayed: Replayed[]): Promise<void> {
    const groups = new Map<string, { deviceId: string; quantity: string; from: number; to: number }>();
    // per rule: from how far back its readings count, and since when they are its history
    const spans = new Map<Rule, { back: number; since: number }>();
    for (const i of which) {
      const r = pairs[i].rule;
      if (!spans.has(r))
        spans.set(r, { back: (lookback(r.params) + replayMinutes) * minute, since: Date.parse(r.updatedAt) });
    }
    for (const i of which) {
      const p = pairs[i];
      const from = p.before! - spans.get(p.rule)!.back;
      const k = `${p.subject}|${p.quantity}`;
      const g = groups.get(k);
      if (!g) groups.set(k, { deviceId: p.subject, quantity: p.quantity!, from, to: p.before! });
      else {
        g.from = Math.min(g.from, from);
        g.to = Math.min(g.to, p.before!);
      }
    }
    const series = new Map<string, { t: number; v: number; receivedAt: number }[]>();
    const [readings, progress] = await Promise.all([
      this.repo.recent([...groups.values()], replayLimit),
      this.repo.progress([...groups.values()]),
    ]);
    for (const r of readings) {
      const k = `${r.deviceId}|${r.quantity}`;
      const list = series.get(k);
      if (list) list.push(r);
      else series.set(k, [r]);
    }
    for (const i of which) {
      const p = pairs[i];
      const points = series.get(`${p.subject}|${p.quantity}`);
      if (!points) continue;
      const e = this.entries.get(key(p.rule.id, p.subject))!;
      const s = e.state;
      const { back, since } = spans.get(p.rule)!;
      const from = p.before! - back;
      // Readings up to the pair's row, or up to how far its device's readings were evaluated (written
      // with every batch's alerts), were evaluated live: they only rebuild.
      const live = Math.max(
        s.lastAt ?? Number.NEGATIVE_INFINITY,
        progress.get(`${p.subject}|${p.quantity}`) ?? Number.NEGATIVE_INFINITY,
        p.before! - replayMinutes * minute,
      );
      let last = s.lastAt;
      for (const r of points) {
        if (r.t < from || r.t >= p.before! || r.receivedAt < since) continue;
        if (r.t <= live) {
          restore(p.rule.params, s, r.t, r.v);
          last = Math.max(last ?? r.t, r.t);
          continue;
        }
        const transition = advance(p.rule.params, s, r.t, r.v);
        last = s.lastAt;
        if (transition) replayed.push({ index: i, transition, at: r.t, value: r.v });
      }
      s.lastAt = last;
      e.dirty = durable(e.params, s) !== e.mark;
    }
  }

  dirty(): Entry[] {
    return [...this.entries.values()].filter((e) => e.dirty);
  }

  /** Forgets entries (after a failed write: their durable copy and the stored readings are what stand). */
  drop(entries: Entry[]): void {
    for (const e of entries) this.entries.delete(key(e.ruleId, e.subject));
    this.generation++;
  }

  /** Forgets every entry (after a failed alert transaction: batches stepped since built on it). */
  clear(): void {
    this.entries.clear();
    this.generation++;
  }

  /** Keeps only the entries of these rules as they now are (a changed rule starts over). */
  retain(versions: Map<string, string>): void {
    for (const [k, e] of this.entries)
      if (versions.get(e.ruleId) !== e.version) {
        this.entries.delete(k);
        this.generation++;
      }
  }

  /** Forgets written entries not used since `before`, so memory follows the active pairs. */
  evict(before: number): void {
    for (const [k, e] of this.entries)
      if (!e.dirty && e.usedAt < before) {
        this.entries.delete(k);
        this.generation++;
      }
  }
}
