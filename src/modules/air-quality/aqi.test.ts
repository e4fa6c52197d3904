import { describe, expect, it } from 'vitest';
import { airQualityIndex, BeyondTableError, type Pollutant, subIndex, truncate } from './aqi.ts';

// Literal edges from the published tables (not derived from aqi.ts), so a typo in a table fails here.
// Each row: [concentration in the input unit, expected sub-index].
const thai: Record<Pollutant, [number, number][]> = {
  pm25: [
    [0, 0],
    [15.0, 25],
    [15.1, 26],
    [25.0, 50],
    [25.1, 51],
    [37.5, 100],
    [37.6, 101],
    [75.0, 200],
    [75.1, 201],
  ],
  pm10: [
    [0, 0],
    [50, 25],
    [51, 26],
    [80, 50],
    [81, 51],
    [120, 100],
    [121, 101],
    [180, 200],
    [181, 201],
  ],
  o3: [
    [0, 0],
    [35, 25],
    [36, 26],
    [50, 50],
    [51, 51],
    [70, 100],
    [71, 101],
    [120, 200],
    [121, 201],
  ],
  co: [
    [0, 0],
    [4.4, 25],
    [4.5, 26],
    [6.4, 50],
    [6.5, 51],
    [9.0, 100],
    [9.1, 101],
    [30.0, 200],
    [30.1, 201],
  ],
  no2: [
    [0, 0],
    [60, 25],
    [61, 26],
    [106, 50],
    [107, 51],
    [170, 100],
    [171, 101],
    [340, 200],
    [341, 201],
  ],
  so2: [
    [0, 0],
    [100, 25],
    [101, 26],
    [200, 50],
    [201, 51],
    [300, 100],
    [301, 101],
    [400, 200],
    [401, 201],
  ],
};

const us: Record<Pollutant, [number, number][]> = {
  pm25: [
    [0, 0],
    [9.0, 50],
    [9.1, 51],
    [35.4, 100],
    [35.5, 101],
    [55.4, 150],
    [55.5, 151],
    [125.4, 200],
    [125.5, 201],
    [225.4, 300],
    [225.5, 301],
    [325.4, 500],
  ],
  pm10: [
    [0, 0],
    [54, 50],
    [55, 51],
    [154, 100],
    [155, 101],
    [254, 150],
    [255, 151],
    [354, 200],
    [355, 201],
    [424, 300],
    [425, 301],
    [604, 500],
  ],
  // ppb in, the EPA table is in ppm (0.054 ppm = 54 ppb)
  o3: [
    [0, 0],
    [54, 50],
    [55, 51],
    [70, 100],
    [71, 101],
    [85, 150],
    [86, 151],
    [105, 200],
    [106, 201],
    [200, 300],
  ],
  co: [
    [0, 0],
    [4.4, 50],
    [4.5, 51],
    [9.4, 100],
    [9.5, 101],
    [12.4, 150],
    [12.5, 151],
    [15.4, 200],
    [15.5, 201],
    [30.4, 300],
    [30.5, 301],
    [50.4, 500],
  ],
  no2: [
    [0, 0],
    [53, 50],
    [54, 51],
    [100, 100],
    [101, 101],
    [360, 150],
    [361, 151],
    [649, 200],
    [650, 201],
    [1249, 300],
    [1250, 301],
    [2049, 500],
  ],
  so2: [
    [0, 0],
    [35, 50],
    [36, 51],
    [75, 100],
    [76, 101],
    [185, 150],
    [186, 151],
    [304, 200],
  ],
};

describe('Thai AQI (PCD 2023) at every band edge', () => {
  for (const [pollutant, cases] of Object.entries(thai) as [Pollutant, [number, number][]][]) {
    it.each(cases)(`${pollutant} %d → %d`, (c, expected) => {
      expect(subIndex('th', pollutant, c).index).toBe(expected);
    });
  }
});

describe('US EPA AQI (2024) at every band edge', () => {
  for (const [pollutant, cases] of Object.entries(us) as [Pollutant, [number, number][]][]) {
    it.each(cases)(`${pollutant} %d → %d`, (c, expected) => {
      expect(subIndex('us', pollutant, c).index).toBe(expected);
    });
  }
});

describe('bands, colours and advice', () => {
  it.each([
    [15.0, 'very-good', '#3BCCFF'],
    [15.1, 'good', '#92D050'],
    [25.1, 'moderate', '#FFFF00'],
    [37.6, 'starting-to-affect-health', '#FFA200'],
    [75.1, 'affects-health', '#F04646'],
  ])('Thai PM2.5 %d is %s', (c, key, colour) => {
    const r = airQualityIndex('th', { pm25: c });
    expect(r.band.key).toBe(key);
    expect(r.band.colour).toBe(colour);
    expect(r.advice.th.length).toBeGreaterThan(10);
    expect(r.advice.en.length).toBeGreaterThan(10);
  });

  it.each([
    [9.0, 'good'],
    [9.1, 'moderate'],
    [35.5, 'unhealthy-for-sensitive-groups'],
    [55.5, 'unhealthy'],
    [125.5, 'very-unhealthy'],
    [225.5, 'hazardous'],
  ])('US PM2.5 %d is %s', (c, key) => {
    expect(airQualityIndex('us', { pm25: c }).band.key).toBe(key);
  });
});

describe('truncation, not rounding', () => {
  it('truncates concentrations to the table precision before the lookup', () => {
    // 15.09 would round to 15.1 (index 26); truncated it is 15.0 (index 25)
    expect(subIndex('th', 'pm25', 15.09).index).toBe(25);
    expect(subIndex('th', 'pm25', 15.09).concentration).toBe(15);
    expect(subIndex('us', 'pm25', 9.09).index).toBe(50);
    expect(subIndex('us', 'pm10', 54.99).index).toBe(50);
    expect(subIndex('us', 'o3', 54.9).index).toBe(50);
    expect(subIndex('th', 'no2', 60.999).index).toBe(25);
  });

  it('is immune to binary float noise at the edges', () => {
    expect(truncate(0.1 + 0.2, 1)).toBe(0.3);
    expect(truncate(4.35 + 0.05, 1)).toBe(4.4);
    expect(subIndex('us', 'o3', 70).index).toBe(100);
  });

  it('rounds the index to the nearest integer', () => {
    // Thai PM2.5 20.0: (50−26)/(25.0−15.1) × (20.0−15.1) + 26 = 37.88 → 38
    expect(subIndex('th', 'pm25', 20).index).toBe(38);
    // US PM2.5 12.0: (100−51)/(35.4−9.1) × (12.0−9.1) + 51 = 56.40 → 56
    expect(subIndex('us', 'pm25', 12).index).toBe(56);
  });
});

describe('above the top band', () => {
  it('extends the Thai red band with the slope of the 101–200 band', () => {
    // 201 + 99/37.4 × (100 − 75.1) = 266.91 → 267
    const r = subIndex('th', 'pm25', 100);
    expect(r.index).toBe(267);
    expect(r.extrapolated).toBe(true);
    expect(airQualityIndex('th', { pm25: 100 }).beyondScale).toBe(true);
    expect(subIndex('th', 'pm25', 75.1).extrapolated).toBe(false);
    // PM10 300: 201 + 99/59 × (300 − 181) = 400.68 → 401
    expect(subIndex('th', 'pm10', 300).index).toBe(401);
  });

  it('extends the US hazardous band past 500 and flags it', () => {
    // 301 + 199/99.9 × (400.0 − 225.5) = 648.6 → 649
    const r = airQualityIndex('us', { pm25: 400 });
    expect(r.aqi).toBe(649);
    expect(r.beyondScale).toBe(true);
    expect(airQualityIndex('us', { pm25: 325.4 }).beyondScale).toBe(false);
  });

  it('refuses US 8-hour O3 above 200 ppb and 1-hour SO2 above 304 ppb (other averages needed)', () => {
    expect(() => subIndex('us', 'o3', 201)).toThrow(BeyondTableError);
    expect(() => subIndex('us', 'so2', 305)).toThrow(BeyondTableError);
    expect(subIndex('th', 'o3', 201).index).toBeGreaterThan(201);
  });
});

describe('the highest sub-index rule', () => {
  it('takes the highest sub-index and names its pollutant', () => {
    const r = airQualityIndex('th', { pm25: 20, pm10: 130, o3: 30, co: 1, no2: 20, so2: 5 });
    expect(r.aqi).toBe(subIndex('th', 'pm10', 130).index);
    expect(r.dominant).toBe('pm10');
    expect(r.subIndices).toHaveLength(6);
  });

  it('gives the same concentrations different indices on the two scales', () => {
    const th = airQualityIndex('th', { pm25: 37.5 });
    const usa = airQualityIndex('us', { pm25: 37.5 });
    expect(th.aqi).toBe(100);
    expect(usa.aqi).toBe(106); // (150−101)/(55.4−35.5) × (37.5−35.5) + 101 = 105.9
  });

  it('on a tie keeps the first pollutant in table order', () => {
    expect(airQualityIndex('th', { pm25: 15.0, pm10: 50 }).dominant).toBe('pm25');
  });

  it('refuses nothing, negatives, NaN and infinity', () => {
    expect(() => airQualityIndex('th', {})).toThrow(RangeError);
    expect(() => subIndex('th', 'pm25', -1)).toThrow(RangeError);
    expect(() => subIndex('th', 'pm25', Number.NaN)).toThrow(RangeError);
    expect(() => subIndex('us', 'pm25', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
