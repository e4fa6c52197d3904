import { initialState, quiet, type SubjectState } from './engine.ts';
import type { Rule } from './model.ts';
import type { RuleRepository, StoredState } from './repository.ts';

/** One (rule, subject) state as the evaluator holds it. */
export interface Entry {
  ruleId: string;
  subject: string;
  /** The rule's `updatedAt` the state belongs to: a checkpoint never writes a changed rule's old state. */
  version: string;
  state: SubjectState;
  /** Changed since it was last written to `rule_state`. */
  dirty: boolean;
  /** `quiet` (engine.ts) after its last reading, and as last written (or read) in `rule_state`. */
  quiet: boolean;
  quietOnDisk: boolean;
  usedAt: number;
}

const key = (ruleId: string, subject: string) => `${ruleId}|${subject}`;

export const stored = (e: Entry): StoredState => ({
  ruleId: e.ruleId,
  subject: e.subject,
  version: e.version,
  ...e.state,
});

/**
 * The evaluator's states in memory. `rule_state` is the durable copy: read once when a pair is first
 * needed, written with every alert change (in the alert's transaction) and otherwise at checkpoints,
 * so a batch of readings costs no state reads or writes once its pairs are known.
 */
export class StateCache {
  private entries = new Map<string, Entry>();

  constructor(private readonly repo: RuleRepository) {}

  get size(): number {
    return this.entries.size;
  }

  /** The entries of these pairs, in order; pairs not in memory are read from `rule_state` in one query. */
  async load(pairs: { rule: Rule; subject: string }[], now: number): Promise<Entry[]> {
    const missing = pairs.filter((p) => {
      const e = this.entries.get(key(p.rule.id, p.subject));
      return !e || e.version !== p.rule.updatedAt;
    });
    if (missing.length) {
      const found = new Map(
        (await this.repo.states(missing.map((p) => ({ ruleId: p.rule.id, subject: p.subject })))).map((s) => [
          key(s.ruleId, s.subject),
          s,
        ]),
      );
      for (const p of missing) {
        const k = key(p.rule.id, p.subject);
        const s = found.get(k);
        const state = s
          ? { lastAt: s.lastAt, firing: s.firing, conditions: s.conditions ?? [] }
          : initialState();
        // No row is as good as a quiet one: a restart would start from the initial state either way.
        const calm = !s || quiet(p.rule.params, state);
        this.entries.set(k, {
          ruleId: p.rule.id,
          subject: p.subject,
          version: p.rule.updatedAt,
          state,
          dirty: false,
          quiet: calm,
          quietOnDisk: calm,
          usedAt: now,
        });
      }
    }
    return pairs.map((p) => {
      const e = this.entries.get(key(p.rule.id, p.subject))!;
      e.usedAt = now;
      return e;
    });
  }

  dirty(): Entry[] {
    return [...this.entries.values()].filter((e) => e.dirty);
  }

  /** Forgets entries (after a failed write: their durable copy is what stands). */
  drop(entries: Entry[]): void {
    for (const e of entries) this.entries.delete(key(e.ruleId, e.subject));
  }

  /** Keeps only the entries of these rules as they now are (a changed rule starts over). */
  retain(versions: Map<string, string>): void {
    for (const [k, e] of this.entries) if (versions.get(e.ruleId) !== e.version) this.entries.delete(k);
  }

  /** Forgets written entries not used since `before`, so memory follows the active pairs. */
  evict(before: number): void {
    for (const [k, e] of this.entries) if (!e.dirty && e.usedAt < before) this.entries.delete(k);
  }
}
