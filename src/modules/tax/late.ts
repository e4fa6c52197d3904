import { type LateRule, lateCharges } from './assessment.ts';

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

/** The day `months` after a YYYY-MM-DD day, on the month's last day when it has no such day. */
export function monthsAfter(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The day `days` after a YYYY-MM-DD day. */
export function daysAfter(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A tax's late rule as the year's record holds it (`tax_rate_years.late`). Land and building tax
 * also has the reduced penalties of the Act B.E. 2562 s.68–69: `penaltyBeforeReminderPercent` when
 * paid before the municipality's reminder (s.61), `penaltyWithinReminderPercent` when paid within
 * the time the reminder sets; `penaltyPercent` after it. A rule without them (signboard tax) charges
 * `penaltyPercent` throughout.
 */
export interface YearLateRule extends LateRule {
  penaltyBeforeReminderPercent?: number;
  penaltyWithinReminderPercent?: number;
}

/** The reminder (หนังสือแจ้งเตือน) sent for a bill: the day it was sent and the day it sets, YYYY-MM-DD. */
export interface Reminder {
  sentOn: string;
  deadline: string;
}

/**
 * The penalty percent of a payment made on `asOf`. A reminder counts from the day it is sent (the day
 * the taxpayer receives it is not known), so a payment that day is within the reminder.
 */
export function penaltyPercentOn(rule: YearLateRule, asOf: string, reminder?: Reminder | null): number {
  if (rule.penaltyBeforeReminderPercent === undefined || rule.penaltyWithinReminderPercent === undefined)
    return rule.penaltyPercent;
  if (!reminder || reminder.sentOn > asOf) return rule.penaltyBeforeReminderPercent;
  return asOf <= reminder.deadline ? rule.penaltyWithinReminderPercent : rule.penaltyPercent;
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
 * What an amount due on `dueDate` costs on a day: the tax, and once it is past due the late rule
 * given (the bill's tax year's, late-book.ts) with the penalty the bill's reminder leaves.
 */
export function amountDue(
  part: { amountSatang: number; dueDate: string },
  asOf: string,
  rule: YearLateRule,
  reminder?: Reminder | null,
): AmountDue {
  const months = Math.max(0, monthsLate(part.dueDate, asOf));
  const charges = lateCharges(part.amountSatang, months, {
    surchargePercentPerMonth: rule.surchargePercentPerMonth,
    penaltyPercent: penaltyPercentOn(rule, asOf, reminder),
  });
  return {
    asOf,
    monthsLate: months,
    surchargeSatang: charges.surcharge,
    penaltySatang: charges.penalty,
    totalSatang: part.amountSatang + charges.surcharge + charges.penalty,
  };
}

export interface Part {
  amountSatang: number;
  dueDate: string;
  status?: 'open' | 'paid';
}

export interface BillDue extends AmountDue {
  /**
   * Land and building tax in instalments whose open instalment fell due unpaid: the right to the
   * rest is lost (the Act B.E. 2562, s.53 as commonly cited) and what is left is due at once, with
   * the charges counted from the instalment missed. Its instalments are then not payable one by one.
   */
  lapsed: boolean;
}

/**
 * What an open bill still asks on a day: its amount with its charges, or, in instalments, what its
 * open instalments add up to with theirs (or the whole rest with charges once lapsed). The one place
 * the late rules meet a bill: arrears, the citizen's bill, its PDF and QR, and the bank's matching.
 */
export function billDue(
  bill: { amountSatang: number; dueDate: string; taxKind: 'land-building' | 'sign' },
  plan: Part[],
  asOf: string,
  rule: YearLateRule,
  reminder?: Reminder | null,
): BillDue {
  if (!plan.length) return { ...amountDue(bill, asOf, rule, reminder), lapsed: false };
  const open = plan.filter((i) => i.status !== 'paid');
  const missed = open.filter((i) => monthsLate(i.dueDate, asOf) > 0).map((i) => i.dueDate);
  if (bill.taxKind === 'land-building' && missed.length) {
    const rest = open.reduce((s, i) => s + i.amountSatang, 0);
    const from = missed.sort()[0];
    return { ...amountDue({ amountSatang: rest, dueDate: from }, asOf, rule, reminder), lapsed: true };
  }
  const dues = open.map((i) => amountDue(i, asOf, rule, reminder));
  const sum = (pick: (d: AmountDue) => number) => dues.reduce((s, d) => s + pick(d), 0);
  return {
    asOf,
    monthsLate: Math.max(0, ...dues.map((d) => d.monthsLate)),
    surchargeSatang: sum((d) => d.surchargeSatang),
    penaltySatang: sum((d) => d.penaltySatang),
    totalSatang: sum((d) => d.totalSatang),
    lapsed: false,
  };
}
