import { describe, expect, it } from 'vitest';
import { amountDue, bangkokDay, monthsAfter, monthsLate } from './late.ts';

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
    expect(amountDue({ amountSatang: 20_000, dueDate: '2026-04-30', taxKind: 'sign' }, '2026-04-30')).toEqual(
      {
        asOf: '2026-04-30',
        monthsLate: 0,
        surchargeSatang: 0,
        penaltySatang: 0,
        totalSatang: 20_000,
      },
    );
    expect(
      amountDue({ amountSatang: 20_000, dueDate: '2026-04-30', taxKind: 'land-building' }, '2026-01-01')
        .totalSatang,
    ).toBe(20_000);
  });

  it('adds 2 % a month for signboard tax and 1 % a month plus the 40 % penalty for land and building tax', () => {
    expect(
      amountDue({ amountSatang: 20_000, dueDate: '2026-04-30', taxKind: 'sign' }, '2026-06-15'),
    ).toMatchObject({ monthsLate: 2, surchargeSatang: 800, penaltySatang: 0, totalSatang: 20_800 });
    expect(
      amountDue({ amountSatang: 7_800_000, dueDate: '2026-04-30', taxKind: 'land-building' }, '2026-05-01'),
    ).toMatchObject({
      monthsLate: 1,
      surchargeSatang: 78_000,
      penaltySatang: 3_120_000,
      totalSatang: 10_998_000,
    });
    // The surcharge never exceeds the tax itself (50 months at 2 %).
    expect(
      amountDue({ amountSatang: 20_000, dueDate: '2020-01-31', taxKind: 'sign' }, '2026-11-26')
        .surchargeSatang,
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
});
