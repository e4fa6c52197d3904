import type { Db } from '../../core/db/index.ts';
import { type AqiResult, airQualityIndex, BeyondTableError, type Concentrations, type Scale } from './aqi.ts';
import {
  concentrationsOf,
  type DaySummary,
  summariseDays,
  thaiDailyStandards,
  type WindowAverage,
  windowAverages,
} from './averages.ts';
import { dailyMeans, hourlyMeans, listStations, type Station } from './stations.ts';

const hourMs = 3_600_000;

/** The index on one scale, or null when nothing can be indexed (no data, or beyond that scale's table). */
export function indexOrNull(scale: Scale, c: Concentrations): AqiResult | null {
  if (Object.keys(c).length === 0) return null;
  try {
    return airQualityIndex(scale, c);
  } catch (e) {
    if (e instanceof BeyondTableError) return null;
    throw e;
  }
}

export interface StationNow extends Station {
  averages: WindowAverage[];
  th: AqiResult | null;
  us: AqiResult | null;
}

/**
 * Every station's averages and both indices as of `at`, and the city's: the worst station on each
 * scale (one polluted neighbourhood is what the city must act on; an average would hide it).
 */
export async function stationsNow(db: Db, at = new Date()) {
  const stations = await listStations(db);
  const hourly = await hourlyMeans(
    db,
    stations.map((s) => s.id),
    new Date(at.getTime() - 25 * hourMs),
    new Date(at.getTime() + 1),
  );
  const now: StationNow[] = stations.map((s) => {
    const averages = windowAverages(
      hourly.filter((h) => h.stationId === s.id),
      at,
    );
    const c = concentrationsOf(averages);
    return { ...s, averages, th: indexOrNull('th', c), us: indexOrNull('us', c) };
  });
  const worst = (scale: Scale) =>
    now.reduce<StationNow | null>((w, s) => ((s[scale]?.aqi ?? -1) > (w?.[scale]?.aqi ?? -1) ? s : w), null);
  const city = (scale: Scale) => {
    const w = worst(scale);
    return w?.[scale] ? { stationId: w.id, ...w[scale] } : null;
  };
  return { at: at.toISOString(), stations: now, city: { th: city('th'), us: city('us') } };
}

/** A Bangkok calendar day as YYYY-MM-DD. */
export const bangkokDay = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });

/** One station's hourly series (all pollutants) and daily PM means over the last `days` days. */
export async function stationHistory(db: Db, id: string, days: number, at = new Date()) {
  const [station] = await listStations(db, id);
  if (!station) return null;
  const from = new Date(Math.floor(at.getTime() / hourMs) * hourMs - (days * 24 - 1) * hourMs);
  const hourly = await hourlyMeans(db, [id], from, new Date(at.getTime() + 1));
  const byHour = new Map<string, Record<string, number | string>>();
  for (const h of hourly) {
    const row = byHour.get(h.hour) ?? { hour: h.hour };
    row[h.pollutant] = h.mean;
    byHour.set(h.hour, row);
  }
  const daily = summariseDays(await dailyMeans(db, [id], bangkokDay(from), bangkokDay(at)));
  return { station, hourly: [...byHour.values()], daily, standards: thaiDailyStandards };
}

export interface StationMonth {
  stationId: string;
  name: string;
  synthetic: boolean;
  days: DaySummary[];
  daysWithData: number;
  daysOver: number;
}

/**
 * A Bangkok month's daily PM means per station and the days over the Thai 24-hour standard. The city
 * is over on a day when any station with a valid daily mean is over.
 */
export async function monthSummary(db: Db, month: string) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const fromDay = `${month}-01`;
  const toDay = `${month}-${String(last).padStart(2, '0')}`;
  const stations = await listStations(db);
  const means = await dailyMeans(
    db,
    stations.map((s) => s.id),
    fromDay,
    toDay,
  );
  const perStation: StationMonth[] = stations.map((s) => {
    const days = summariseDays(means.filter((x) => x.stationId === s.id));
    const valid = days.filter((d) => d.pm25 !== null || d.pm10 !== null);
    return {
      stationId: s.id,
      name: s.name,
      synthetic: s.synthetic,
      days: valid,
      daysWithData: valid.length,
      daysOver: valid.filter((d) => d.over).length,
    };
  });
  const cityDays = new Map<string, boolean>();
  for (const s of perStation)
    for (const d of s.days) cityDays.set(d.day, (cityDays.get(d.day) ?? false) || d.over);
  return {
    month,
    standards: thaiDailyStandards,
    stations: perStation,
    city: {
      daysWithData: cityDays.size,
      daysOver: [...cityDays.values()].filter(Boolean).length,
      overDays: [...cityDays]
        .filter(([, over]) => over)
        .map(([day]) => day)
        .sort(),
    },
  };
}
