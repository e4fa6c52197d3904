import { averaging, type Concentrations, type Pollutant, pollutants } from './aqi.ts';

/** One pollutant's mean over one clock hour (UTC hour start, ISO). */
export interface HourlyMean {
  pollutant: Pollutant;
  hour: string;
  mean: number;
}

const hourMs = 3_600_000;
const windowHours = { '24h': 24, '8h': 8, '1h': 1 } as const;
/**
 * Hours of data a window needs before its average counts: three quarters of it, the completeness rule
 * monitoring networks commonly apply (e.g. US EPA's 18 of 24 hours for a daily PM value). A window
 * with fewer hours gives no average rather than one biased by the hours that happen to be there.
 */
export const minHours = { '24h': 18, '8h': 6, '1h': 1 } as const;

export interface WindowAverage {
  pollutant: Pollutant;
  averaging: '24h' | '8h' | '1h';
  /** Hours with data in the window, and how many the average needs. */
  hours: number;
  needed: number;
  /** Mean of the hourly means; null when the window has too few hours. */
  value: number | null;
}

/**
 * The averages the index is defined on, as of `at`: for each pollutant the mean of the hourly means in
 * its window (24 h for PM, 8 h for O3 and CO, 1 h for NO2 and SO2). A window is the N clock hours
 * ending with the hour `at` falls in. The 1-hour value is that hour's mean, or the previous hour's
 * when this hour has no reading yet (so a sensor that reports late in the hour is not blank for most
 * of it).
 */
export function windowAverages(hourly: HourlyMean[], at: Date): WindowAverage[] {
  const current = Math.floor(at.getTime() / hourMs) * hourMs;
  const out: WindowAverage[] = [];
  for (const pollutant of pollutants) {
    const kind = averaging[pollutant];
    const n = windowHours[kind];
    const byHour = new Map<number, number>();
    for (const h of hourly) {
      if (h.pollutant !== pollutant || !Number.isFinite(h.mean)) continue;
      const start = Date.parse(h.hour);
      const back = (current - start) / hourMs;
      if (back >= 0 && back < (kind === '1h' ? 2 : n)) byHour.set(back, h.mean);
    }
    if (byHour.size === 0) continue;
    if (kind === '1h') {
      const value = byHour.get(0) ?? byHour.get(1) ?? null;
      out.push({ pollutant, averaging: kind, hours: value === null ? 0 : 1, needed: 1, value });
      continue;
    }
    const values = [...byHour.values()];
    const enough = values.length >= minHours[kind];
    out.push({
      pollutant,
      averaging: kind,
      hours: values.length,
      needed: minHours[kind],
      value: enough ? values.reduce((a, b) => a + b, 0) / values.length : null,
    });
  }
  return out;
}

/** The concentrations to index: the averages that have enough hours. */
export function concentrationsOf(averages: WindowAverage[]): Concentrations {
  const c: Concentrations = {};
  for (const a of averages) if (a.value !== null) c[a.pollutant] = a.value;
  return c;
}

/**
 * Thailand's 24-hour ambient standards (µg/m³): PM2.5 37.5 (National Environment Board notification
 * of B.E. 2565, in force 1 June 2023) and PM10 120 (NEB notification of B.E. 2547).
 */
export const thaiDailyStandards = { pm25: 37.5, pm10: 120 } as const;
export type DailyPollutant = keyof typeof thaiDailyStandards;

export interface DailyMean {
  stationId: string;
  pollutant: DailyPollutant;
  /** The Bangkok calendar day, YYYY-MM-DD. */
  day: string;
  hours: number;
  mean: number;
}

export interface DaySummary {
  day: string;
  pm25: number | null;
  pm10: number | null;
  /** A valid daily mean (≥ 18 hours) above the standard, for either pollutant. */
  over: boolean;
}

/** A station's days: daily means that have enough hours, and whether the day broke a standard. */
export function summariseDays(means: DailyMean[]): DaySummary[] {
  const days = new Map<string, DaySummary>();
  for (const m of means) {
    const d = days.get(m.day) ?? { day: m.day, pm25: null, pm10: null, over: false };
    if (m.hours >= minHours['24h']) {
      d[m.pollutant] = m.mean;
      if (m.mean > thaiDailyStandards[m.pollutant]) d.over = true;
    }
    days.set(m.day, d);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}
