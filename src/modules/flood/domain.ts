/** The arithmetic of flood warning, pure: status from thresholds, rate of rise, rainfall totals. */

export const statuses = ['normal', 'watch', 'warning', 'critical'] as const;
export type Status = (typeof statuses)[number];
export type Trend = 'rising' | 'falling' | 'steady';

export interface Thresholds {
  watch: number;
  warning: number;
  critical: number;
}

export interface Point {
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

const hour = 3600_000;

/** Each status begins at its threshold: a value equal to the warning level is a warning. */
export function statusOf(value: number, th: Thresholds): Status {
  if (value >= th.critical) return 'critical';
  if (value >= th.warning) return 'warning';
  if (value >= th.watch) return 'watch';
  return 'normal';
}

/**
 * Rate of rise in cm/h over the `hours` before the latest reading: the least-squares slope of the
 * readings in that window (robust to one noisy point, equal to the end-to-end change with two).
 * Null with fewer than two readings in the window, or when they cover less than half of it (a gap
 * would otherwise turn two close readings into a confident rate).
 */
export function rateOfRise(points: Point[], hours: number): number | null {
  if (points.length === 0) return null;
  const last = points.reduce((a, b) => (b.t > a.t ? b : a));
  const from = last.t - hours * hour;
  const window = points.filter((p) => p.t >= from && p.t <= last.t);
  if (window.length < 2) return null;
  const first = Math.min(...window.map((p) => p.t));
  if (last.t - first < (hours * hour) / 2) return null;
  const n = window.length;
  const xs = window.map((p) => (p.t - first) / hour);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = window.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  window.forEach((p, i) => {
    num += (xs[i] - mx) * (p.v - my);
    den += (xs[i] - mx) ** 2;
  });
  if (den === 0) return null;
  // Metres per hour to centimetres per hour, to a tenth of a centimetre.
  return Math.round((num / den) * 1000) / 10;
}

/** Below this many cm/h either way, a water level is steady (gauge noise, wind on the surface). */
export const steadyCmPerHour = 1;

export function trendOf(rate: number | null): Trend | null {
  if (rate === null) return null;
  if (rate >= steadyCmPerHour) return 'rising';
  if (rate <= -steadyCmPerHour) return 'falling';
  return 'steady';
}

/**
 * Rain in the `hours` up to `now` (each reading is the rain since the one before, in mm). Null when
 * the gauge sent nothing in the window: silence is not a dry day.
 */
export function rainTotal(points: Point[], now: number, hours: number): number | null {
  const from = now - hours * hour;
  const window = points.filter((p) => p.t > from && p.t <= now);
  if (window.length === 0) return null;
  return Math.round(window.reduce((a, p) => a + p.v, 0) * 10) / 10;
}
