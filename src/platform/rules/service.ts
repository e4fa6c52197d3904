import { type Actor, audit } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Role } from '../../core/auth/roles.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { evaluate, initialState, type SubjectState } from './engine.ts';
import type { RuleEvaluator } from './evaluator.ts';
import type { BacktestInput, Condition, Rule, RuleInput } from './model.ts';

const day = 24 * 3600_000;
/** A backtest replays at most this many readings; more and the result says it was truncated. */
export const backtestLimit = 200_000;

const bound = (actor: Actor) => officeBoundRoles.includes(actor.role as Role);

/** Checks what a schema cannot: the clear level on the right side of the threshold. */
function checkParams(r: Pick<RuleInput, 'params'>): void {
  const conditions: Condition[] =
    r.params.kind === 'combination' ? r.params.conditions : r.params.kind === 'noData' ? [] : [r.params];
  for (const c of conditions) {
    if (c.kind !== 'threshold') continue;
    if (c.op === 'above' ? c.clearAt > c.value : c.clearAt < c.value)
      throw AppError.badRequest(
        'rules.bad_hysteresis',
        msg(c.op === 'above' ? 'rules.clear_at_most' : 'rules.clear_at_least'),
      );
  }
}

export interface BacktestEvent {
  subject: string;
  event: 'fire' | 'clear';
  at: string;
  value: number | null;
}

/** Rule management (office-scoped, audited) and backtests; live evaluation is the evaluator's. */
export class RuleService {
  constructor(
    private readonly db: Db,
    readonly evaluator: RuleEvaluator,
  ) {}

  private get repo() {
    return this.evaluator.repo;
  }

  list(actor: Actor): Promise<Rule[]> {
    // An office-bound account without an office sees nothing rather than everything.
    return this.repo.list(
      bound(actor) ? (actor.officeId ?? '00000000-0000-0000-0000-000000000000') : undefined,
    );
  }

  async get(id: string, actor: Actor): Promise<Rule> {
    const rule = await this.repo.get(id);
    if (!rule || (bound(actor) && rule.officeId !== actor.officeId))
      throw AppError.notFound('rules.not_found');
    return rule;
  }

  private officeFor(input: RuleInput, actor: Actor): string | null {
    if (bound(actor)) return actor.officeId;
    return input.officeId === undefined ? actor.officeId : input.officeId;
  }

  async create(input: RuleInput, actor: Actor): Promise<Rule> {
    checkParams(input);
    const rule = await this.db.transaction(async (tx) => {
      const created = await this.repo.insert(tx, input, this.officeFor(input, actor));
      await audit(tx, actor, {
        action: 'rules.create',
        resourceType: 'rule',
        resourceId: created.id,
        detail: { kind: input.params.kind, quantity: input.quantity, scope: input.scope.kind },
      });
      return created;
    });
    await this.evaluator.refresh();
    return rule;
  }

  async update(id: string, input: RuleInput, actor: Actor): Promise<Rule> {
    checkParams(input);
    await this.get(id, actor);
    const rule = await this.db.transaction(async (tx) => {
      const updated = await this.repo.update(tx, id, input, this.officeFor(input, actor));
      if (!updated) throw AppError.notFound('rules.not_found');
      await this.repo.clearState(tx, id);
      await this.evaluator.resolveOpen(tx, id);
      await audit(tx, actor, {
        action: 'rules.update',
        resourceType: 'rule',
        resourceId: id,
        detail: { kind: input.params.kind, quantity: input.quantity, enabled: updated.enabled },
      });
      return updated;
    });
    await this.evaluator.refresh();
    return rule;
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.get(id, actor);
    await this.db.transaction(async (tx) => {
      await this.evaluator.resolveOpen(tx, id);
      if (!(await this.repo.delete(tx, id))) throw AppError.notFound('rules.not_found');
      await audit(tx, actor, { action: 'rules.delete', resourceType: 'rule', resourceId: id });
    });
    await this.evaluator.refresh();
  }

  /**
   * Replays stored readings through a rule (unsaved, raising nothing) and returns what it would have
   * fired and cleared. No-data fires where the gap after a reading reached the limit and clears at the
   * next reading; a device still silent at `to` fires there too.
   */
  async backtest(
    input: BacktestInput,
  ): Promise<{ from: string; to: string; readings: number; truncated: boolean; events: BacktestEvent[] }> {
    checkParams(input.rule);
    const to = input.to ? Date.parse(input.to) : Date.now();
    const from = input.from ? Date.parse(input.from) : to - 7 * day;
    if (!(from < to)) throw AppError.badRequest('rules.bad_range', msg('request.from_after_to'));
    if (to - from > 31 * day)
      throw AppError.badRequest('rules.bad_range', msg('request.at_most_days', { days: 31 }));
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const devices = await this.repo.devicesIn(input.rule.scope);
    const rows = devices.length
      ? await this.repo.readings(
          devices.map((d) => d.id),
          input.rule.quantity,
          range.from,
          range.to,
          backtestLimit + 1,
        )
      : [];
    const truncated = rows.length > backtestLimit;
    if (truncated) rows.length = backtestLimit;
    const events: BacktestEvent[] = [];
    const params = input.rule.params;
    const at = (t: number) => new Date(t).toISOString();
    const states = new Map<string, SubjectState>();
    for (const r of rows) {
      const prior = states.get(r.deviceId) ?? initialState();
      if (params.kind === 'noData') {
        const gapFrom = prior.lastAt ?? from;
        if (r.t - gapFrom >= params.minutes * 60_000) {
          events.push({
            subject: r.deviceId,
            event: 'fire',
            at: at(gapFrom + params.minutes * 60_000),
            value: null,
          });
          events.push({ subject: r.deviceId, event: 'clear', at: at(r.t), value: r.v });
        }
        states.set(r.deviceId, { ...prior, lastAt: r.t });
        continue;
      }
      const { state, transition } = evaluate(params, prior, r.t, r.v);
      states.set(r.deviceId, state);
      if (transition) events.push({ subject: r.deviceId, event: transition, at: at(r.t), value: r.v });
    }
    if (params.kind === 'noData' && !truncated)
      for (const d of devices) {
        const last = states.get(d.id)?.lastAt ?? from;
        if (to - last >= params.minutes * 60_000)
          events.push({ subject: d.id, event: 'fire', at: at(last + params.minutes * 60_000), value: null });
      }
    events.sort((a, b) => a.at.localeCompare(b.at) || a.subject.localeCompare(b.subject));
    return { ...range, readings: rows.length, truncated, events };
  }
}
