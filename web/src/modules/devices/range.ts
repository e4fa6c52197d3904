/** The periods the device page offers: a window ending now (refreshed), or whole Bangkok days picked. */
export type Preset = '24h' | '7d' | '30d' | '365d' | 'custom';

export const presets: Preset[] = ['24h', '7d', '30d', '365d', 'custom'];

const hours: Record<Exclude<Preset, 'custom'>, number> = { '24h': 24, '7d': 168, '30d': 720, '365d': 8760 };

export interface Range {
  from: string;
  to: string;
  /** A window ending now moves with each refresh; a picked range does not. */
  live: boolean;
}

/** A day as the `<input type="date">` gives it (yyyy-mm-dd), at 00:00 Thailand time (UTC+7, no DST). */
function bangkokMidnight(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Today's date in Thailand, as yyyy-mm-dd, for the date inputs' defaults and limits. */
export function bangkokToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The days `n` before `day` (yyyy-mm-dd). */
export function daysBefore(day: string, n: number): string {
  const d = bangkokMidnight(day);
  return d ? bangkokToday(new Date(d.getTime() - n * 86400_000)) : day;
}

/**
 * The API range for a choice. A picked range runs from the first day's start to the end of the last
 * day (both inclusive, Thailand time); `error` names what is wrong instead.
 */
export function rangeFor(
  preset: Preset,
  fromDay: string,
  toDay: string,
  now = new Date(),
): Range | { error: 'missing' | 'order' } {
  if (preset !== 'custom') {
    return {
      from: new Date(now.getTime() - hours[preset] * 3600_000).toISOString(),
      to: now.toISOString(),
      live: true,
    };
  }
  const from = bangkokMidnight(fromDay);
  const last = bangkokMidnight(toDay);
  if (!from || !last) return { error: 'missing' };
  if (last < from) return { error: 'order' };
  return { from: from.toISOString(), to: new Date(last.getTime() + 86400_000).toISOString(), live: false };
}
