import { describe, expect, it } from 'vitest';
import { durable, evaluate, forget, initialState, restore, type SubjectState, silent } from './engine.ts';
import type { RuleParams } from './model.ts';

const min = 60_000;
const t0 = Date.parse('2026-11-20T00:00:00Z');

/** Runs a series of [minute, value] through a rule; returns the transitions with their minute. */
function run(params: RuleParams, series: [number, number][], start: SubjectState = initialState()) {
  let state = start;
  const out: string[] = [];
  for (const [m, v] of series) {
    const r = evaluate(params, state, t0 + m * min, v);
    state = r.state;
    if (r.transition) out.push(`${r.transition}@${m}`);
  }
  return { out, state };
}

const pm = { kind: 'threshold', op: 'above', value: 37.5, forMinutes: 60, clearAt: 30 } as const;

describe('threshold', () => {
  it('with duration and hysteresis fires once and clears once on a noisy series', () => {
    // over the line from minute 0, held an hour → fire at 60; dips to 35 (between clear and fire
    // levels) do not clear; only below 30 clears, once.
    const series: [number, number][] = [
      [0, 40],
      [15, 45],
      [30, 50],
      [45, 42],
      [60, 41],
      [75, 35],
      [90, 39],
      [105, 31],
      [120, 29],
      [135, 28],
      [150, 36],
    ];
    expect(run(pm, series).out).toEqual(['fire@60', 'clear@120']);
  });

  it('does not fire when the duration is not met, and the clock restarts after a dip', () => {
    const series: [number, number][] = [
      [0, 40],
      [30, 45],
      [55, 37],
      [60, 40],
      [100, 41],
    ];
    expect(run(pm, series).out).toEqual([]);
    // …and 60 minutes after the restart at 60 it does.
    expect(run(pm, [...series, [120, 40]]).out).toEqual(['fire@120']);
  });

  it('fires at once with forMinutes 0, and works below a value (low level)', () => {
    const low = { kind: 'threshold', op: 'below', value: 10, forMinutes: 0, clearAt: 12 } as const;
    expect(
      run(low, [
        [0, 11],
        [1, 9],
        [2, 11],
        [3, 12.5],
        [4, 8],
      ]).out,
    ).toEqual(['fire@1', 'clear@3', 'fire@4']);
  });

  it('ignores late and repeated readings', () => {
    const { out } = run({ ...pm, forMinutes: 0 }, [
      [10, 40],
      [5, 10],
      [10, 10],
      [11, 41],
    ]);
    expect(out).toEqual(['fire@10']);
  });
});

describe('rate of change', () => {
  const rise = { kind: 'rate', op: 'rise', perMinute: 0.01, windowMinutes: 30 } as const;
  it('fires when the level rises faster than the limit over the window and clears when it slows', () => {
    // 0.5 cm/min for 20 min, then flat for 40 min
    const series: [number, number][] = [
      [0, 1.0],
      [10, 1.05],
      [20, 1.25],
      [30, 1.3],
      [40, 1.3],
      [50, 1.3],
      [60, 1.3],
    ];
    expect(run(rise, series).out).toEqual(['fire@20', 'clear@40']);
  });
  it('does not fire on a slow rise, nor on a fall', () => {
    expect(
      run(rise, [
        [0, 1],
        [10, 1.05],
        [20, 1.1],
      ]).out,
    ).toEqual([]);
    expect(
      run(rise, [
        [0, 2],
        [10, 1],
      ]).out,
    ).toEqual([]);
    const fall = { ...rise, op: 'fall' } as const;
    expect(
      run(fall, [
        [0, 2],
        [10, 1],
      ]).out,
    ).toEqual(['fire@10']);
  });
});

describe('combination', () => {
  const both: RuleParams = {
    kind: 'combination',
    mode: 'all',
    conditions: [
      { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.8 },
      { kind: 'rate', op: 'rise', perMinute: 0.01, windowMinutes: 30 },
    ],
  };
  it('all: fires only when high and rising, clears when either stops', () => {
    expect(
      run(both, [
        [0, 1.5],
        [10, 1.9],
        [20, 2.1],
        [30, 2.1],
        [40, 2.1],
        [50, 2.1],
      ]).out,
    ).toEqual(['fire@20', 'clear@40']);
    // high but not rising never fires
    expect(
      run(both, [
        [0, 2.5],
        [10, 2.5],
        [20, 2.5],
      ]).out,
    ).toEqual([]);
  });
  it('any: fires when either holds', () => {
    const any: RuleParams = { ...both, mode: 'any' };
    expect(run(any, [[0, 2.5]]).out).toEqual(['fire@0']);
    expect(
      run(any, [
        [0, 1],
        [10, 1.5],
      ]).out,
    ).toEqual(['fire@10']);
  });
});

describe('no data', () => {
  it('is silent past the limit from the last reading, or from the rule’s start when never seen', () => {
    expect(silent(30, t0, 0, t0 + 29 * min)).toBe(false);
    expect(silent(30, t0, 0, t0 + 30 * min)).toBe(true);
    expect(silent(30, null, t0, t0 + 31 * min)).toBe(true);
  });
  it('clears on the next reading once it has fired', () => {
    const r = evaluate({ kind: 'noData', minutes: 30 }, { ...initialState(), firing: true }, t0, 1);
    expect(r.transition).toBe('clear');
    expect(r.state.lastAt).toBe(t0);
  });
});

describe('durable marks and rebuilds (what rule_state must hold, what readings rebuild)', () => {
  const rate = { kind: 'rate', op: 'rise', perMinute: 1, windowMinutes: 10 } as const;
  it('marks only firing flags: a threshold under way or a moving rate window needs no row', () => {
    const calm = durable(pm, initialState());
    expect(durable(pm, run(pm, [[0, 20]]).state)).toBe(calm);
    expect(durable(pm, run(pm, [[0, 40]]).state)).toBe(calm); // under way: rebuilt from readings
    const firing = run(pm, [
      [0, 40],
      [60, 40],
    ]).state;
    expect(durable(pm, firing)).not.toBe(calm);
    expect(durable(rate, run(rate, [[0, 1]]).state)).toBe(durable(rate, initialState()));
    // no data: the last reading's time is what the sweep decides on
    const silentRule = { kind: 'noData', minutes: 60 } as const;
    expect(durable(silentRule, run(silentRule, [[0, 1]]).state)).not.toBe(
      durable(silentRule, initialState()),
    );
    // a combination's threshold firing while the rule does not (mode all): a flag the readings cannot give
    const both: RuleParams = { kind: 'combination', mode: 'all', conditions: [pm, { ...pm, value: 50 }] };
    const one = run(both, [
      [0, 45],
      [60, 45],
    ]);
    expect(one.out).toEqual([]);
    expect(durable(both, one.state)).not.toBe(durable(both, initialState()));
  });

  it('rebuilds windows and starts from readings, keeping the stored firing flags', () => {
    const series: [number, number][] = [
      [0, 40],
      [20, 42],
      [40, 20],
      [50, 45],
      [55, 46],
    ];
    const live = run(pm, series).state;
    const rebuilt = structuredClone(live);
    forget(pm, rebuilt);
    expect(rebuilt.conditions).toEqual([{ since: null, firing: false }]);
    for (const [m, v] of series) restore(pm, rebuilt, t0 + m * min, v);
    expect(rebuilt.conditions).toEqual(live.conditions);
    // a firing threshold stays firing through a rebuild, whatever the readings (hysteresis)
    const fired = run(pm, [
      [0, 40],
      [60, 40],
      [70, 35],
    ]).state;
    forget(pm, fired);
    restore(pm, fired, t0 + 70 * min, 35);
    expect(fired.conditions[0].firing).toBe(true);
    expect(fired.firing).toBe(true);
    // a rate's window comes back as it was, so the next reading gives the same answer
    const rising: [number, number][] = [
      [0, 1],
      [5, 3],
      [9, 6],
    ];
    const rateLive = run(rate, rising).state;
    const rateRebuilt = {
      ...initialState(),
      firing: rateLive.firing,
      conditions: [{ window: [], firing: true }],
    };
    for (const [m, v] of rising) restore(rate, rateRebuilt, t0 + m * min, v);
    expect(rateRebuilt.conditions).toEqual(rateLive.conditions);
    rateRebuilt.lastAt = rateLive.lastAt;
    expect(run(rate, [[12, 20]], rateRebuilt).out).toEqual(run(rate, [[12, 20]], rateLive).out);
  });
});
