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

function threshold(p: ThresholdParams, s: ThresholdState, t: number, v: number): void {
  const above = p.op === 'above';
  const holds = above ? v > p.value : v < p.value;
  // Hysteresis: once firing, only crossing the clear level ends it (not merely leaving the threshold).
  if (s.firing) {
    const clears = above ? v < p.clearAt : v > p.clearAt;
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
  s.since ??= t;
  if (t - s.since >= p.forMinutes * minute) s.firing = true;
}

function rate(p: RateParams, s: RateState, t: number, v: number, point?: Point): void {
  const span = p.windowMinutes * minute;
  // the caller's point when given: the windows of every rule on the device hold the same objects
  // (never changed), instead of an object per rule per reading for the garbage collector
  s.window.push(point ?? { t, v });
  while (s.window.length > 1 && t - s.window[0].t > span) s.window.shift();
  // Bounded even if a device reports many times a second.
  if (s.window.length > 1000) s.window.splice(0, s.window.length - 1000);
  const first = s.window[0];
  const minutes = (t - first.t) / minute;
  if (minutes <= 0) return;
  const perMinute = (v - first.v) / minutes;
  s.firing = p.op === 'rise' ? perMinute >= p.perMinute : perMinute <= -p.perMinute;
}

function step(c: Condition, s: ConditionState, t: number, v: number, point?: Point): void {
  if (c.kind === 'threshold') threshold(c, s as ThresholdState, t, v);
  else rate(c, s as RateState, t, v, point);
}

const fresh = (c: Condition): ConditionState =>
  c.kind === 'threshold' ? { since: null, firing: false } : { window: [], firing: false };

const single = new WeakMap<RuleParams, Condition[]>();
const none: Condition[] = [];

/** The conditions a rule evaluates per reading (none for no-data, which the sweep decides). */
export function conditionsOf(params: RuleParams): Condition[] {
  if (params.kind === 'combination') return params.conditions;
  if (params.kind === 'noData') return none;
  // the same array each time: this runs once per rule per reading
  let list = single.get(params);
  if (!list) {
    list = [params];
    single.set(params, list);
  }
  return list;
}

/**
 * Takes one reading into `state`, changing it in place (the live evaluator keeps one state object per
 * rule and subject in memory, so copying it per reading would be the main cost); returns whether the
 * rule fired or cleared on it. `point`, if given, is `{ t, v }` as an object that is never changed,
 * kept in rate windows as it is.
 */
export function advance(
  params: RuleParams,
  state: SubjectState,
  t: number,
  v: number,
  point?: Readonly<Point>,
): Transition {
  if (state.lastAt !== null && t <= state.lastAt) return null;
  const conditions = conditionsOf(params);
  if (state.conditions.length !== conditions.length) state.conditions = conditions.map(fresh);
  for (let i = 0; i < conditions.length; i++) step(conditions[i], state.conditions[i], t, v, point);
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
 * What of a state a restart cannot rebuild from stored readings, as a number to compare: whether the
 * rule and each threshold fire (hysteresis: a threshold fires until its clear level is crossed,
 * however long ago it started). A rate's window and a threshold's start are rebuilt from
 * `dev_readings` when a state is first loaded (`restore`), so only a change of this needs a row. A
 * no-data rule's last reading counts too (the sweep decides on it without readings).
 */
export function durable(params: RuleParams, s: SubjectState): number {
  if (params.kind === 'noData') return (s.lastAt ?? -1) * 2 + (s.firing ? 1 : 0);
  let mark = s.firing ? 1 : 0;
  for (let i = 0; i < s.conditions.length; i++) {
    const c = s.conditions[i];
    if (!('window' in c) && c.firing) mark += 2 ** (i + 1);
  }
  return mark;
}

/** The longest stretch of readings a rule's state depends on besides its firing flags (minutes). */
export function lookback(params: RuleParams): number {
  let m = 0;
  for (const c of conditionsOf(params)) m = Math.max(m, c.kind === 'rate' ? c.windowMinutes : c.forMinutes);
  return m;
}

/**
 * A loaded state before its rebuild: rate windows emptied and threshold starts forgotten, the firing
 * flags kept (they are what `rule_state` holds for sure).
 */
export function forget(params: RuleParams, state: SubjectState): void {
  const conditions = conditionsOf(params);
  if (state.conditions.length !== conditions.length) {
    state.conditions = conditions.map(fresh);
    return;
  }
  for (const s of state.conditions) {
    if ('window' in s) s.window = [];
    else s.since = null;
  }
}

/**
 * Takes one stored reading into a state being rebuilt (oldest first): rate windows and a threshold's
 * start move as `advance` would move them, but no threshold and not the rule change whether they fire
 * (those flags come from `rule_state`, written with every change of them), and the last reading's time
 * is left to the caller. A threshold whose start is old enough fires on its next live reading.
 */
export function restore(params: RuleParams, state: SubjectState, t: number, v: number): void {
  const conditions = conditionsOf(params);
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i];
    const s = state.conditions[i];
    if (c.kind === 'rate') rate(c, s as RateState, t, v);
    else {
      const th = s as ThresholdState;
      if (th.firing) continue;
      const holds = c.op === 'above' ? v > c.value : v < c.value;
      if (!holds) th.since = null;
      else th.since ??= t;
    }
  }
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
