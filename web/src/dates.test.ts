import { describe, expect, it } from 'vitest';
import { formatDate } from './dates.ts';

describe('dates', () => {
  it('shows the Buddhist Era in Thai and the Gregorian year in English, in Bangkok time', () => {
    const at = '2026-11-24T20:30:00Z'; // 25 Nov, 03:30 in Bangkok
    expect(formatDate(at, 'th', false)).toContain('2569');
    expect(formatDate(at, 'th', false)).toContain('25');
    expect(formatDate(at, 'en', false)).toContain('2026');
    expect(formatDate(at, 'en')).toContain('03:30');
    expect(formatDate('not a date', 'th')).toBe('');
  });
});
