import { describe, expect, it } from 'vitest';
import { type Point, rainTotal, rateOfRise, statusOf, trendOf } from './domain.ts';

const th = { watch: 1.5, warning: 2.0, critical: 2.5 };
const h = 3600_000;
const t0 = Date.UTC(2026, 8, 20, 0, 0);

describe('status at each threshold edge', () => {
  it.each([
    [0, 'normal'],
    [1.49, 'normal'],
    [1.5, 'watch'],
    [1.99, 'watch'],
    [2.0, 'warning'],
    [2.49, 'warning'],
    [2.5, 'critical'],
    [9, 'critical'],
    [-0.3, 'normal'],
  ] as const)('%s m → %s', (v, s) => {
    expect(statusOf(v, th)).toBe(s);
  });
});

describe('rate of rise', () => {
  const series = (values: [number, number][]): Point[] =>
    values.map(([hours, v]) => ({ t: t0 + hours * h, v }));

  it('is the change per hour in cm over the window before the latest reading', () => {
    const pts = series([
      [0, 1.0],
      [1, 1.1],
      [2, 1.2],
      [3, 1.3],
    ]);
    expect(rateOfRise(pts, 1)).toBe(10);
    expect(rateOfRise(pts, 3)).toBe(10);
    expect(trendOf(rateOfRise(pts, 1))).toBe('rising');
  });

  it('falls and holds steady', () => {
    expect(
      rateOfRise(
        series([
          [0, 2],
          [1, 1.8],
        ]),
        1,
      ),
    ).toBe(-20);
    expect(trendOf(-20)).toBe('falling');
    expect(trendOf(0.5)).toBe('steady');
    expect(trendOf(null)).toBeNull();
  });

  it('is null with no readings, one reading, or readings that cover too little of the window', () => {
    expect(rateOfRise([], 1)).toBeNull();
    expect(rateOfRise(series([[0, 1]]), 1)).toBeNull();
    // Two readings ten minutes apart say little about three hours.
    expect(
      rateOfRise(
        series([
          [0, 1],
          [1 / 6, 1.05],
        ]),
        3,
      ),
    ).toBeNull();
  });

  it('ignores readings older than the window (a gap leaves one point → null)', () => {
    const gap = series([
      [0, 1.0],
      [1, 1.1],
      [5, 1.9],
    ]);
    expect(rateOfRise(gap, 1)).toBeNull();
    expect(rateOfRise(gap, 3)).toBeNull();
    // Over a gap inside the window, the slope still uses the points present.
    const inner = series([
      [0, 1.0],
      [2.5, 1.5],
      [3, 1.6],
    ]);
    expect(rateOfRise(inner, 3)).toBe(20);
  });

  it('takes readings in any order', () => {
    const pts = series([
      [2, 1.2],
      [0, 1.0],
      [1, 1.1],
    ]);
    expect(rateOfRise(pts, 3)).toBe(10);
  });
});

describe('rainfall totals', () => {
  const now = t0 + 24 * h;
  it('adds the readings of the last hour and day, window open at the start', () => {
    const pts: Point[] = [
      { t: now - 24 * h, v: 50 }, // exactly 24 h ago: belongs to the day before
      { t: now - 23 * h, v: 4 },
      { t: now - 2 * h, v: 10.5 },
      { t: now - h, v: 3 }, // exactly an hour ago: not in the last hour
      { t: now - 30 * 60_000, v: 2.2 },
      { t: now, v: 0.3 },
      { t: now + 60_000, v: 99 }, // from the future (a clock off): not counted
    ];
    expect(rainTotal(pts, now, 1)).toBe(2.5);
    expect(rainTotal(pts, now, 24)).toBe(20);
  });

  it('is zero when the gauge reported no rain, null when it reported nothing', () => {
    expect(rainTotal([{ t: now - 10 * 60_000, v: 0 }], now, 1)).toBe(0);
    expect(rainTotal([{ t: now - 3 * h, v: 5 }], now, 1)).toBeNull();
    expect(rainTotal([], now, 24)).toBeNull();
  });
});
