import { describe, expect, it } from 'vitest';
import { addWorkingHours, addWorkingTime, bangkokDate, workingTimeBetween } from './sla.ts';

// 2026-11-25 is a Wednesday; 2026-12-05 (Sat) is Father's Day with its substitute on Monday 2026-12-07.
const holidays = new Set(['2026-12-07', '2026-12-10']);
const none = new Set<string>();
const at = (s: string) => new Date(s);

describe('addWorkingHours (Mon–Fri 08:30–16:30 Asia/Bangkok, less holidays)', () => {
  const cases: [string, string, number, ReadonlySet<string>, string][] = [
    ['within one day', '2026-11-25T09:00:00+07:00', 2, none, '2026-11-25T11:00:00+07:00'],
    ['before opening starts at 08:30', '2026-11-25T07:00:00+07:00', 1, none, '2026-11-25T09:30:00+07:00'],
    ['after closing starts next morning', '2026-11-25T17:00:00+07:00', 1, none, '2026-11-26T09:30:00+07:00'],
    [
      'a full day ends at 16:30 the same day',
      '2026-11-25T08:30:00+07:00',
      8,
      none,
      '2026-11-25T16:30:00+07:00',
    ],
    ['three days from Monday morning', '2026-11-23T08:30:00+07:00', 24, none, '2026-11-25T16:30:00+07:00'],
    ['across a weekend', '2026-11-27T15:30:00+07:00', 2, none, '2026-11-30T09:30:00+07:00'],
    ['filed on a Saturday', '2026-11-28T10:00:00+07:00', 1, none, '2026-11-30T09:30:00+07:00'],
    ['across a weekend and a holiday', '2026-12-04T16:00:00+07:00', 1, holidays, '2026-12-08T09:00:00+07:00'],
    ['the same without the holiday', '2026-12-04T16:00:00+07:00', 1, none, '2026-12-07T09:00:00+07:00'],
    ['a mid-week holiday', '2026-12-09T12:30:00+07:00', 8, holidays, '2026-12-11T12:30:00+07:00'],
    // 23:00 UTC on Thursday is already 06:00 Friday in Bangkok.
    ['Bangkok day, not UTC day (Thu UTC = Fri BKK)', '2026-11-26T23:00:00Z', 1, none, '2026-11-27T02:30:00Z'],
    // 17:30 UTC Friday is 00:30 Saturday in Bangkok: no work until Monday.
    ['Bangkok day, not UTC day (Fri UTC = Sat BKK)', '2026-11-27T17:30:00Z', 1, none, '2026-11-30T02:30:00Z'],
    // 20:00 UTC Sunday 6 Dec is 03:00 Monday 7 Dec in Bangkok, the holiday.
    ['a holiday is a Bangkok date', '2026-12-06T20:00:00Z', 1, holidays, '2026-12-08T02:30:00Z'],
    [
      'zero hours at night moves to the next opening',
      '2026-11-25T20:00:00+07:00',
      0,
      none,
      '2026-11-26T08:30:00+07:00',
    ],
  ];
  it.each(cases)('%s', (_name, from, hours, hs, due) => {
    expect(addWorkingHours(at(from), hours, hs).toISOString()).toBe(at(due).toISOString());
  });

  it('refuses negative or non-finite time', () => {
    expect(() => addWorkingTime(at('2026-11-25T09:00:00+07:00'), -1, none)).toThrow(RangeError);
    expect(() => addWorkingTime(at('2026-11-25T09:00:00+07:00'), Number.NaN, none)).toThrow(RangeError);
  });

  it('handles the largest SLA a category may have (8,760 working hours)', () => {
    const due = addWorkingHours(at('2026-01-05T08:30:00+07:00'), 8760, holidays);
    expect(workingTimeBetween(at('2026-01-05T08:30:00+07:00'), due, holidays)).toBe(8760 * 3600_000);
  });
});

describe('workingTimeBetween', () => {
  const h = 3600_000;
  const cases: [string, string, string, ReadonlySet<string>, number][] = [
    ['within a day', '2026-11-25T09:00:00+07:00', '2026-11-25T12:00:00+07:00', none, 3 * h],
    ['over a night', '2026-11-25T16:00:00+07:00', '2026-11-26T09:00:00+07:00', none, 1 * h],
    ['over a weekend', '2026-11-27T15:30:00+07:00', '2026-11-30T09:30:00+07:00', none, 2 * h],
    ['over a holiday', '2026-12-04T16:00:00+07:00', '2026-12-08T09:00:00+07:00', holidays, 1 * h],
    ['entirely outside hours', '2026-11-28T09:00:00+07:00', '2026-11-29T15:00:00+07:00', none, 0],
    ['backwards', '2026-11-26T09:00:00+07:00', '2026-11-25T09:00:00+07:00', none, 0],
  ];
  it.each(cases)('%s', (_name, from, to, hs, ms) => {
    expect(workingTimeBetween(at(from), at(to), hs)).toBe(ms);
  });

  it('is the inverse of addWorkingHours from any start', () => {
    for (const start of ['2026-11-27T16:29:00+07:00', '2026-12-06T23:59:00+07:00', '2026-11-25T03:00:00Z'])
      for (const hours of [0.5, 1, 7.99, 8, 9, 40])
        expect(workingTimeBetween(at(start), addWorkingHours(at(start), hours, holidays), holidays)).toBe(
          hours * h,
        );
  });
});

describe('bangkokDate', () => {
  it('is the calendar date in Bangkok, which runs seven hours ahead of UTC', () => {
    expect(bangkokDate(at('2026-11-25T16:59:59Z'))).toBe('2026-11-25');
    expect(bangkokDate(at('2026-11-25T17:00:00Z'))).toBe('2026-11-26');
  });
});
