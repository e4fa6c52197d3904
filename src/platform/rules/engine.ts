import type { Condition, RateParams, RuleParams, ThresholdParams } from './model.ts';

/**
 * The evaluation of one rule on one subject, reading by reading: pure, so the live path, the restart
 * path (state from the database) and the backtest all run exactly this code.
 */

interface Point {
  t: number;
  v: number;
}

/** A threshold's progress: since when the condition holds (not firing yet), and whether it fires. */
interface ThresholdState {
  since: number | null;
  firing: boolean;
}
/** A rate's window of recent points (bounded by the window length) and whether it fires. */
interface RateState {
  window: Point[];
  firing: boolean;
}
type ConditionState = ThresholdState | RateState;

export interface SubjectState {
  /** The time of the last reading taken; older (late) readings are ignored. */
  lastAt: number | null;
  firing: boolean;
  conditions: ConditionState[];
}

export const initialState = (): SubjectState => ({ lastAt: null, firing: false, conditions: [] });

export type Transition = 'fire' | 'clear' | null;

const minute = 60_000;

function threshold(p: ThresholdParams, s: ThresholdState, r: Point): void {
  const above = p.op === 'above';
  const holds = above ? r.v > p.value : r.v < p.value;
  // Hysteresis: once firing, only crossing the clear level ends it (not merely leaving the threshold).
  if (s.firing) {
    const clears = above ? r.v < p.clearAt : r.v > p.clearAt;
    if (clears) {
      s.firing = false;
      s.since = null;
    }
    return;
  }
  if (!holds) {
    s.since = null;
    return;
  }
  s.since ??= r.t;
  if (r.t - s.since >= p.forMinutes * minute) s.firing = true;
}

function rate(p: RateParams, s: RateState, r: Point): void {
  const span = p.windowMinutes * minute;
  s.window.push(r);
  while (s.window.length > 1 && r.t - s.window[0].t > span) s.window.shift();
  // Bounded even if a device reports many times a second.
  if (s.window.length > 1000) s.window.splice(0, s.window.length - 1000);
  const first = s.window[0];
  const minutes = (r.t - first.t) / minute;
  if (minutes <= 0) return;
  const perMinute = (r.v - first.v) / minutes;
  s.firing = p.op === 'rise' ? perMinute >= p.perMinute : perMinute <= -p.perMinute;
}

function step(c: Condition, s: ConditionState, r: Point): void {
  if (c.kind === 'threshold') threshold(c, s as ThresholdState, r);
  else rate(c, s as RateState, r);
}

const fresh = (c: Condition): ConditionState =>
  c.kind === 'threshold' ? { since: null, firing: false } : { window: [], firing: false };

/** The conditions a rule evaluates per reading (none for no-data, which the sweep decides). */
export function conditionsOf(params: RuleParams): Condition[] {
  if (params.kind === 'threshold' || params.kind === 'rate') return [params];
  if (params.kind === 'combination') return params.conditions;
  return [];
}

/**
 * Takes one reading into `state`, changing it in place (the live evaluator keeps one state object per
 * rule and subject in memory, so copying it per reading would be the main cost); returns whether the
 * rule fired or cleared on it.
 */
export function advance(params: RuleParams, state: SubjectState, t: number, v: number): Transition {
  if (state.lastAt !== null && t <= state.lastAt) return null;
  const conditions = conditionsOf(params);
  if (state.conditions.length !== conditions.length) state.conditions = conditions.map(fresh);
  for (let i = 0; i < conditions.length; i++) step(conditions[i], state.conditions[i], { t, v });
  let firing: boolean;
  if (params.kind === 'noData')
    firing = false; // data arrived: the subject is not silent
  else if (params.kind === 'combination')
    firing =
      params.mode === 'all'
        ? state.conditions.every((s) => s.firing)
        : state.conditions.some((s) => s.firing);
  else firing = state.conditions[0].firing;
  const transition: Transition = firing === state.firing ? null : firing ? 'fire' : 'clear';
  state.lastAt = t;
  state.firing = firing;
  return transition;
}

/**
 * Whether a state holds nothing a restart would need but the time of its last reading: not firing,
 * every condition a threshold not under way. Such a state is not written at checkpoints when its
 * durable copy is quiet too (most pairs, most of the time, in a city whose readings stay normal). A
 * rate's window and a no-data rule's last reading always count.
 */
export function quiet(params: RuleParams, s: SubjectState): boolean {
  if (s.firing || params.kind === 'noData') return false;
  const conditions = conditionsOf(params);
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i].kind !== 'threshold') return false;
    const c = s.conditions[i] as ThresholdState | undefined;
    if (c && (c.firing || c.since !== null)) return false;
  }
  return true;
}

/** Takes one reading; returns the new state (the prior one is left as it was) and the transition. */
export function evaluate(
  params: RuleParams,
  prior: SubjectState,
  t: number,
  v: number,
): { state: SubjectState; transition: Transition } {
  if (prior.lastAt !== null && t <= prior.lastAt) return { state: prior, transition: null };
  const state = structuredClone(prior);
  const transition = advance(params, state, t, v);
  return { state, transition };
}

/** The no-data check at `now`: fires when the last reading (or, never seen, `since`) is too old. */
export function silent(minutes: number, lastAt: number | null, since: number, now: number): boolean {
  return now - (lastAt ?? since) >= minutes * minute;
}
