import { describe, expect, it } from 'vitest';
import { concentrationsOf, type HourlyMean, summariseDays, windowAverages } from './averages.ts';

const at = new Date('2026-03-10T12:40:00Z');
/** Hourly means of one pollutant for the hours `back` before the hour `at` falls in (0 = that hour). */
const hours = (pollutant: HourlyMean['pollutant'], back: number[], mean = 40): HourlyMean[] =>
  back.map((b) => ({ pollutant, hour: new Date(Date.UTC(2026, 2, 10, 12 - b)).toISOString(), mean }));
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const avg = (h: HourlyMean[], p: string) => windowAverages(h, at).find((a) => a.pollutant === p);

describe('averaging windows', () => {
  it('averages PM over the 24 clock hours ending with the current one, the mean of hourly means', () => {
    const h = [...hours('pm25', range(12), 30), ...hours('pm25', range(12, 12), 50)];
    expect(avg(h, 'pm25')).toEqual({ pollutant: 'pm25', averaging: '24h', hours: 24, needed: 18, value: 40 });
  });

  it('needs 18 of 24 hours: 17 give no average, 18 do, and hours outside the window do not count', () => {
    const outside = hours('pm10', [24, 25, 30], 500);
    expect(avg([...hours('pm10', range(17)), ...outside], 'pm10')).toMatchObject({ hours: 17, value: null });
    expect(avg([...hours('pm10', range(18)), ...outside], 'pm10')).toMatchObject({ hours: 18, value: 40 });
  });

  it('needs 6 of 8 hours for O3 and CO', () => {
    expect(avg(hours('o3', [0, 1, 2, 3, 4]), 'o3')).toMatchObject({ averaging: '8h', hours: 5, value: null });
    expect(avg(hours('co', [0, 2, 3, 4, 6, 7], 2), 'co')).toMatchObject({ hours: 6, value: 2 });
    expect(avg(hours('co', [8, 9, 10, 11, 12, 13]), 'co')).toBeUndefined();
  });

  it('takes the current hour for NO2 and SO2, or the previous one while the current has no reading', () => {
    expect(avg([...hours('no2', [0], 20), ...hours('no2', [1], 90)], 'no2')).toMatchObject({ value: 20 });
    expect(avg(hours('so2', [1], 90), 'so2')).toMatchObject({ averaging: '1h', value: 90 });
    expect(avg(hours('so2', [2], 90), 'so2')).toBeUndefined();
  });

  it('ignores readings from the future and non-numbers, and indexes only complete averages', () => {
    const future: HourlyMean = { pollutant: 'pm25', hour: '2026-03-10T13:00:00Z', mean: 999 };
    const nan: HourlyMean = { pollutant: 'pm25', hour: '2026-03-10T11:00:00Z', mean: Number.NaN };
    const got = windowAverages([future, nan, ...hours('pm25', range(20, 2)), ...hours('no2', [0], 15)], at);
    expect(got.find((a) => a.pollutant === 'pm25')).toMatchObject({ hours: 20, value: 40 });
    expect(concentrationsOf(got)).toEqual({ pm25: 40, no2: 15 });
    expect(concentrationsOf(windowAverages(hours('pm25', range(3)), at))).toEqual({});
  });
});

describe('daily summaries against the Thai 24-hour standards', () => {
  const day = (d: string, pollutant: 'pm25' | 'pm10', mean: number, hours = 24) => ({
    stationId: 's',
    pollutant,
    day: d,
    hours,
    mean,
  });

  it('counts a day over when a valid daily mean is above the standard, not at it', () => {
    const got = summariseDays([
      day('2026-03-02', 'pm25', 37.5),
      day('2026-03-01', 'pm25', 37.6),
      day('2026-03-03', 'pm10', 121),
      day('2026-03-03', 'pm25', 20),
    ]);
    expect(got).toEqual([
      { day: '2026-03-01', pm25: 37.6, pm10: null, over: true },
      { day: '2026-03-02', pm25: 37.5, pm10: null, over: false },
      { day: '2026-03-03', pm25: 20, pm10: 121, over: true },
    ]);
  });

  it('does not judge a day with fewer than 18 hours', () => {
    expect(summariseDays([day('2026-03-04', 'pm25', 90, 17)])).toEqual([
      { day: '2026-03-04', pm25: null, pm10: null, over: false },
    ]);
  });
});
