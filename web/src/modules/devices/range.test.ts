import { describe, expect, it } from 'vitest';
import { bangkokToday, daysBefore, rangeFor } from './range.ts';

const now = new Date('2026-11-24T20:30:00Z'); // 25 Nov, 03:30 in Bangkok

describe('the device page range', () => {
  it('ends a preset window now and keeps it live', () => {
    expect(rangeFor('24h', '', '', now)).toEqual({
      from: '2026-11-23T20:30:00.000Z',
      to: '2026-11-24T20:30:00.000Z',
      live: true,
    });
    expect(rangeFor('7d', '', '', now)).toMatchObject({ from: '2026-11-17T20:30:00.000Z', live: true });
    expect(rangeFor('365d', '', '', now)).toMatchObject({ from: '2025-11-24T20:30:00.000Z' });
  });

  it('takes picked days whole, in Thailand time, the last day included', () => {
    expect(rangeFor('custom', '2026-11-01', '2026-11-03', now)).toEqual({
      from: '2026-10-31T17:00:00.000Z',
      to: '2026-11-03T17:00:00.000Z',
      live: false,
    });
    expect(rangeFor('custom', '2026-11-03', '2026-11-03', now)).toMatchObject({
      from: '2026-11-02T17:00:00.000Z',
      to: '2026-11-03T17:00:00.000Z',
    });
  });

  it('says what is wrong with a picked range instead of asking the API', () => {
    expect(rangeFor('custom', '2026-11-05', '2026-11-03', now)).toEqual({ error: 'order' });
    expect(rangeFor('custom', '', '2026-11-03', now)).toEqual({ error: 'missing' });
    expect(rangeFor('custom', '2026-13-45', '2026-11-03', now)).toEqual({ error: 'missing' });
    expect(rangeFor('custom', "2026-11-01' OR 1=1", '2026-11-03', now)).toEqual({ error: 'missing' });
  });

  it("knows today's date in Bangkok across UTC midnight", () => {
    expect(bangkokToday(now)).toBe('2026-11-25');
    expect(bangkokToday(new Date('2026-11-24T16:59:00Z'))).toBe('2026-11-24');
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
  });
});
