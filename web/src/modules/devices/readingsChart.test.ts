import { describe, expect, it } from 'vitest';
import { type Readings, readingsChart, toBangkokAxis } from './readingsChart.ts';

const fmt = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeStyle: 'short',
    dateStyle: 'short',
    timeZone: 'Asia/Bangkok',
  }).format(ms);
type Series = { name: string; data: [number, number][]; stack?: string; areaStyle?: unknown };

describe('device readings chart', () => {
  it('puts the time axis on Bangkok time: 17:00 UTC is drawn as midnight on a UTC axis', () => {
    expect(new Date(toBangkokAxis('2026-11-24T17:00:00Z')).toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('draws raw readings as lines only', () => {
    const o = readingsChart(
      {
        latest: [],
        from: '2026-11-25T00:00:00Z',
        to: '2026-11-25T01:00:00Z',
        resolution: 'raw',
        series: [{ quantity: 'pm25', value: 10, observedAt: '2026-11-25T00:10:00Z' }],
      },
      (q) => q,
      fmt,
      'range',
    );
    const series = o?.series as Series[];
    expect(o?.useUTC).toBe(true);
    expect(series).toHaveLength(1);
    expect(series[0].data).toEqual([[toBangkokAxis('2026-11-25T00:10:00Z'), 10]]);
  });

  it('draws rollups as an average line over a min–max band, and a tooltip in Bangkok time with escaped names', () => {
    const data: Readings = {
      latest: [],
      from: '2026-11-24T00:00:00Z',
      to: '2026-11-25T00:00:00Z',
      resolution: '1h',
      series: [{ quantity: '<b>', value: 5, min: -2, max: 9, count: 60, observedAt: '2026-11-24T17:00:00Z' }],
    };
    const o = readingsChart(data, (q) => q, fmt, 'range');
    const series = o?.series as Series[];
    expect(series.map((s) => [s.data[0][1], s.stack ?? null, Boolean(s.areaStyle)])).toEqual([
      [5, null, false],
      [-2, 'band-<b>', false],
      [11, 'band-<b>', true],
    ]);
    const tooltip = (o!.tooltip as { formatter: (p: unknown) => string }).formatter([
      { value: series[0].data[0] },
    ]);
    expect(tooltip).toBe('25/11/2026, 00:00<br>&lt;b&gt;: 5 (range -2–9)');
    expect(readingsChart({ ...data, series: [] }, (q) => q, fmt, 'range')).toBeNull();
  });
});
