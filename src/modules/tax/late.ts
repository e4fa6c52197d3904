import { type LateRule, lateCharges } from './assessment.ts';
import { landBuildingLate, signLate } from './rates.ts';

/** Today (or an instant's day) in Bangkok, as YYYY-MM-DD: due dates are Thai calendar days. */
export const bangkokDay = (at: Date = new Date()) =>
  at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });

/**
 * Months (a part counting as one) from a due date to a day, both YYYY-MM-DD; 0 or less when not late.
 * Read from the date text, so the server's time zone cannot move a day across a month's end.
 */
export function monthsLate(dueDate: string, asOf: string): number {
  const [dy, dm, dd] = dueDate.split('-').map(Number);
  const [y, m, d] = asOf.split('-').map(Number);
  return (y - dy) * 12 + (m - dm) + (d > dd ? 1 : 0);
}

/** The late rule of a tax (rates.ts): asked here so the rules are looked up in one place. */
export const lateRuleOf = (taxKind: 'land-building' | 'sign'): LateRule =>
  taxKind === 'sign' ? signLate : landBuildingLate;

/** The day `months` after a YYYY-MM-DD day, on the month's last day when it has no such day. */
export function monthsAfter(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

export interface AmountDue {
  asOf: string;
  monthsLate: number;
  surchargeSatang: number;
  penaltySatang: number;
  /** Tax + surcharge + penalty: what is to be paid on `asOf`. */
  totalSatang: number;
}

/**
 * What a bill (or one instalment of it) costs on a day: the tax, and once it is past due the late
 * rules of its kind (rates.ts). The one place those rules are applied: the staff arrears, the
 * citizen's bill and its PDF and QR, and bank reconciliation all ask here.
 */
export function amountDue(
  part: { amountSatang: number; dueDate: string; taxKind: 'land-building' | 'sign' },
  asOf: string,
): AmountDue {
  const months = Math.max(0, monthsLate(part.dueDate, asOf));
  const charges = lateCharges(part.amountSatang, months, lateRuleOf(part.taxKind));
  return {
    asOf,
    monthsLate: months,
    surchargeSatang: charges.surcharge,
    penaltySatang: charges.penalty,
    totalSatang: part.amountSatang + charges.surcharge + charges.penalty,
  };
}
