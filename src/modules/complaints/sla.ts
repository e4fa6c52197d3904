/**
 * Service-level time in working hours: Monday to Friday, 08:30–16:30 in Asia/Bangkok, less the public
 * holidays kept in `complaints_holidays`. Pure functions, so the rules are tested without a database.
 * Thailand keeps UTC+7 all year (no daylight saving), so a fixed offset is exact.
 */

const hour = 3600_000;
const day = 24 * hour;
const bangkokOffset = 7 * hour;
export const workdayStart = 8.5 * hour;
export const workdayEnd = 16.5 * hour;
/** A request waits this long after resolution for a rating or reopening before it is closed. */
export const reopenWindowDays = 14;

/** `YYYY-MM-DD` of the Bangkok calendar day of an instant. */
export function bangkokDate(at: Date): string {
  return new Date(at.getTime() + bangkokOffset).toISOString().slice(0, 10);
}

/** Working window [start, end) of the Bangkok day that starts at `localMidnight` (Bangkok ms), or null. */
function window(localMidnight: number, holidays: ReadonlySet<string>): [number, number] | null {
  const d = new Date(localMidnight);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return null;
  if (holidays.has(d.toISOString().slice(0, 10))) return null;
  return [localMidnight + workdayStart, localMidnight + workdayEnd];
}

/** Enough days to cover any SLA (8,760 h is the most a category may have) plus every holiday. */
const maxDays = 5000;

/** The instant `ms` of working time after `from`. */
export function addWorkingTime(from: Date, ms: number, holidays: ReadonlySet<string>): Date {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`bad working time ${ms}`);
  let cursor = from.getTime() + bangkokOffset;
  let left = ms;
  let midnight = Math.floor(cursor / day) * day;
  for (let i = 0; i < maxDays; i++, midnight += day) {
    const w = window(midnight, holidays);
    if (!w) continue;
    cursor = Math.max(cursor, w[0]);
    if (cursor >= w[1]) continue;
    // A due time that lands exactly at 16:30 stays on that day rather than moving to the next morning.
    if (left <= w[1] - cursor) return new Date(cursor + left - bangkokOffset);
    left -= w[1] - cursor;
  }
  throw new RangeError('working time runs past the calendar this computes');
}

export function addWorkingHours(from: Date, hours: number, holidays: ReadonlySet<string>): Date {
  return addWorkingTime(from, hours * hour, holidays);
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingTimeBetween(from: Date, to: Date, holidays: ReadonlySet<string>): number {
  const a = from.getTime() + bangkokOffset;
  const b = to.getTime() + bangkokOffset;
  if (b <= a) return 0;
  let total = 0;
  for (let midnight = Math.floor(a / day) * day; midnight < b; midnight += day) {
    const w = window(midnight, holidays);
    if (!w) continue;
    total += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
  }
  return total;
}

/**
 * What the reporter may still do once a request was resolved: rate it once (also after it closed), and
 * reopen it while it is still resolved and within 14 days.
 */
export function aftercareFor(
  r: { status: string; resolvedAt?: string | null; rating?: number | null },
  now = new Date(),
): { canRate: boolean; reopenUntil: string | null } {
  if (!r.resolvedAt || (r.status !== 'resolved' && r.status !== 'closed'))
    return { canRate: false, reopenUntil: null };
  const until = new Date(new Date(r.resolvedAt).getTime() + reopenWindowDays * day);
  return {
    canRate: r.rating == null,
    reopenUntil: r.status === 'resolved' && until > now ? until.toISOString() : null,
  };
}
