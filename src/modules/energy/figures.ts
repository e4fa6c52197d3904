import type { DailyEnergy } from './counters.ts';
import type { Figure, Period } from './schemas.ts';

/** What feeds a figure: which devices are PV generation and which are a building's grid meters. */
export interface Feeds {
  pvDevices: Set<string>;
  meterDevices: Set<string>;
  /** Without a meter, consumption and self-consumption are unknown rather than zero. */
  metered: boolean;
}

const keyOf = (day: string, by: Period) =>
  by === 'day' ? day : by === 'month' ? day.slice(0, 7) : day.slice(0, 4);

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function figure(
  period: string,
  sums: { gen: number; imp: number; exp: number },
  metered: boolean,
  kgPerKWh: number,
): Figure {
  const consumed = sums.gen + sums.imp - sums.exp;
  return {
    period,
    generatedKWh: round(sums.gen),
    importedKWh: metered ? round(sums.imp) : null,
    exportedKWh: metered ? round(sums.exp) : null,
    consumedKWh: metered ? round(Math.max(0, consumed)) : null,
    // The share of generation used on site rather than sent to the grid.
    selfConsumption: metered && sums.gen > 0 ? round(Math.max(0, sums.gen - sums.exp) / sums.gen, 4) : null,
    co2AvoidedKg: round(sums.gen * kgPerKWh),
  };
}

/** Every period key from fromDay to toDay, so a period without data shows as zero, not missing. */
export function periodKeys(fromDay: string, toDay: string, by: Period): string[] {
  const keys: string[] = [];
  const d = new Date(`${fromDay}T00:00:00Z`);
  const end = new Date(`${toDay}T00:00:00Z`);
  while (d <= end) {
    const k = keyOf(d.toISOString().slice(0, 10), by);
    if (keys[keys.length - 1] !== k) keys.push(k);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return keys;
}

/** Sums daily device energy into periods and a total. */
export function aggregate(
  days: DailyEnergy[],
  feeds: Feeds,
  by: Period,
  fromDay: string,
  toDay: string,
  kgPerKWh: number,
): { series: Figure[]; totals: Figure } {
  const sums = new Map(periodKeys(fromDay, toDay, by).map((k) => [k, { gen: 0, imp: 0, exp: 0 }]));
  const total = { gen: 0, imp: 0, exp: 0 };
  for (const d of days) {
    const s = sums.get(keyOf(d.day, by));
    if (!s) continue;
    const field =
      d.quantity === 'energyGenerated' && feeds.pvDevices.has(d.deviceId)
        ? 'gen'
        : d.quantity === 'energyImported' && feeds.meterDevices.has(d.deviceId)
          ? 'imp'
          : d.quantity === 'energyExported' && feeds.meterDevices.has(d.deviceId)
            ? 'exp'
            : null;
    if (!field) continue;
    s[field] += d.kwh;
    total[field] += d.kwh;
  }
  return {
    series: [...sums].map(([k, s]) => figure(k, s, feeds.metered, kgPerKWh)),
    totals: figure(`${fromDay}/${toDay}`, total, feeds.metered, kgPerKWh),
  };
}
