import { describe, expect, it } from 'vitest';
import { formatDate } from './dates.ts';

describe('dates', () => {
  it('shows the Buddhist Era in Thai and the Gregorian year in English, in Bangkok time', () => {
    const at = '2026-11-24T20:30:00Z'; // 25 Nov, 03:30 in Bangkok
    expect(formatDate(at, 'th', false)).toContain('2569');
    expect(formatDate(at, 'th', false)).toContain('25');
    expect(formatDate(at, 'th', false)).toContain('พ.ย.');
    expect(formatDate(at, 'en', false)).toContain('2026');
    expect(formatDate(at, 'en')).toContain('03:30');
    expect(formatDate(at, 'th')).toContain('03:30');
  });

  it('turns the year at midnight in Bangkok, not in UTC', () => {
    const newYear = '2025-12-31T17:30:00Z'; // 1 Jan 2026, 00:30 in Bangkok = B.E. 2569
    expect(formatDate(newYear, 'th', false)).toContain('2569');
    expect(formatDate(newYear, 'th', false)).toContain('ม.ค.');
    expect(formatDate(new Date(newYear), 'en', false)).toContain('1 Jan 2026');
  });

  it('says nothing for a value that is not a date', () => {
    expect(formatDate('not a date', 'th')).toBe('');
  });
});
