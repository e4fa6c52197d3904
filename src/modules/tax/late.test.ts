import { describe, expect, it } from 'vitest';
import {
  amountDue,
  bangkokDay,
  billDue,
  daysAfter,
  monthsAfter,
  monthsLate,
  penaltyPercentOn,
} from './late.ts';
import { defaultRates } from './rates.ts';

const { landBuilding: lb, sign } = defaultRates().late;

describe('late charges (late.ts)', () => {
  it('counts months or parts of a month from the due date, from the date text alone', () => {
    expect(monthsLate('2026-04-30', '2026-04-30')).toBe(0);
    expect(monthsLate('2026-04-30', '2026-04-01')).toBeLessThanOrEqual(0);
    expect(monthsLate('2026-04-15', '2026-03-20')).toBeLessThanOrEqual(0);
    expect(monthsLate('2026-04-30', '2026-05-01')).toBe(1);
    expect(monthsLate('2026-04-30', '2026-05-30')).toBe(1);
    expect(monthsLate('2026-04-30', '2026-05-31')).toBe(2);
    expect(monthsLate('2026-04-30', '2026-06-15')).toBe(2);
    // A due date on the 1st: a month later is still one month, the day after is the second.
    expect(monthsLate('2026-03-01', '2026-04-01')).toBe(1);
    expect(monthsLate('2026-03-01', '2026-04-02')).toBe(2);
    expect(monthsLate('2025-12-31', '2026-01-01')).toBe(1);
  });

  it('adds nothing on or before the due date', () => {
    expect(amountDue({ amountSatang: 20_000, dueDate: '2026-04-30' }, '2026-04-30', sign)).toEqual({
      asOf: '2026-04-30',
      monthsLate: 0,
      surchargeSatang: 0,
      penaltySatang: 0,
      totalSatang: 20_000,
    });
    expect(amountDue({ amountSatang: 20_000, dueDate: '2026-04-30' }, '2026-01-01', lb).totalSatang).toBe(
      20_000,
    );
  });

  it('adds 2 % a month for signboard tax and 1 % a month plus the penalty for land and building tax', () => {
    expect(amountDue({ amountSatang: 20_000, dueDate: '2026-04-30' }, '2026-06-15', sign)).toMatchObject({
      monthsLate: 2,
      surchargeSatang: 800,
      penaltySatang: 0,
      totalSatang: 20_800,
    });
    expect(
      amountDue({ amountSatang: 7_800_000, dueDate: '2026-04-30' }, '2026-05-01', lb, {
        sentOn: '2026-05-01',
        deadline: '2026-05-02',
      }),
    ).toMatchObject({ monthsLate: 1, surchargeSatang: 78_000, penaltySatang: 1_560_000 });
    // No reminder sent: 10 % (s.68).
    expect(amountDue({ amountSatang: 7_800_000, dueDate: '2026-04-30' }, '2026-05-01', lb)).toMatchObject({
      monthsLate: 1,
      surchargeSatang: 78_000,
      penaltySatang: 780_000,
      totalSatang: 8_658_000,
    });
    // The surcharge never exceeds the tax itself (50 months at 2 %).
    expect(
      amountDue({ amountSatang: 20_000, dueDate: '2020-01-31' }, '2026-11-26', sign).surchargeSatang,
    ).toBe(20_000);
  });

  it('reads a Bangkok day: 17:00 UTC is already the next day there', () => {
    expect(bangkokDay(new Date('2026-04-30T16:59:59Z'))).toBe('2026-04-30');
    expect(bangkokDay(new Date('2026-04-30T17:00:00Z'))).toBe('2026-05-01');
  });

  it('moves a day by whole months, to the month’s last day when it has no such day', () => {
    expect(monthsAfter('2026-04-30', 0)).toBe('2026-04-30');
    expect(monthsAfter('2026-04-30', 1)).toBe('2026-05-30');
    expect(monthsAfter('2026-01-31', 1)).toBe('2026-02-28');
    expect(monthsAfter('2028-01-31', 1)).toBe('2028-02-29');
    expect(monthsAfter('2026-11-30', 2)).toBe('2027-01-30');
  });

  it('charges 10 % before a reminder, 20 % up to its deadline and 40 % after, by Bangkok day', () => {
    const reminder = { sentOn: '2026-06-10', deadline: '2026-07-10' };
    expect(penaltyPercentOn(lb, '2026-06-09', reminder)).toBe(10);
    expect(penaltyPercentOn(lb, '2026-06-10', reminder)).toBe(20);
    expect(penaltyPercentOn(lb, '2026-07-10', reminder)).toBe(20);
    expect(penaltyPercentOn(lb, '2026-07-11', reminder)).toBe(40);
    expect(penaltyPercentOn(lb, '2026-07-11', null)).toBe(10);
    // Signboard tax has no such reduction: its record's penalty (0) throughout.
    expect(penaltyPercentOn(sign, '2026-07-11', reminder)).toBe(0);
    // The rule is the record's: other figures give other penalties.
    const other = {
      ...lb,
      penaltyBeforeReminderPercent: 5,
      penaltyWithinReminderPercent: 15,
      penaltyPercent: 30,
    };
    expect(penaltyPercentOn(other, '2026-06-09', reminder)).toBe(5);
    expect(penaltyPercentOn(other, '2026-06-11', reminder)).toBe(15);
    expect(penaltyPercentOn(other, '2026-08-01', reminder)).toBe(30);
    expect(
      amountDue({ amountSatang: 100_000, dueDate: '2026-04-30' }, '2026-08-01', other, reminder),
    ).toMatchObject({ monthsLate: 4, surchargeSatang: 4_000, penaltySatang: 30_000, totalSatang: 134_000 });
  });

  it('ends land and building instalments at the first one missed: the rest is due at once with charges', () => {
    const bill = { amountSatang: 900_000, dueDate: '2026-04-30', taxKind: 'land-building' as const };
    const plan = [
      { amountSatang: 300_000, dueDate: '2026-04-30', status: 'paid' as const },
      { amountSatang: 300_000, dueDate: '2026-05-31', status: 'open' as const },
      { amountSatang: 300_000, dueDate: '2026-06-30', status: 'open' as const },
    ];
    expect(billDue(bill, plan, '2026-05-31', lb)).toMatchObject({ lapsed: false, totalSatang: 600_000 });
    // A day after the second fell due: both open ones, 600,000 satang, one month late from 31 May.
    expect(billDue(bill, plan, '2026-06-01', lb)).toEqual({
      asOf: '2026-06-01',
      monthsLate: 1,
      surchargeSatang: 6_000,
      penaltySatang: 60_000,
      totalSatang: 666_000,
      lapsed: true,
    });
    // Signboard instalments keep their own dates: only the late one carries charges.
    const signDue = billDue({ ...bill, taxKind: 'sign' }, plan, '2026-06-01', sign);
    expect(signDue).toMatchObject({ lapsed: false, surchargeSatang: 6_000, totalSatang: 606_000 });
  });

  it('counts days across months and years', () => {
    expect(daysAfter('2026-11-26', 30)).toBe('2026-12-26');
    expect(daysAfter('2026-12-15', 30)).toBe('2027-01-14');
    expect(daysAfter('2028-02-28', 1)).toBe('2028-02-29');
  });
});
