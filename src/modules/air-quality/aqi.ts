/**
 * Air quality indices, pure: the Thai AQI of the Pollution Control Department (PCD) and the US EPA AQI
 * with the 2024 PM2.5 breakpoints. No I/O; the tables are data and every edge is tested (aqi.test.ts).
 *
 * Sources (see docs/modules/air-quality.md for the full notes):
 * - Thai AQI: PCD announcement on the Air Quality Index, in force 1 June 2023, which lowered the PM2.5
 *   breakpoints to the WHO interim targets (0–15.0–25.0–37.5–75.0 µg/m³; red from 75.1). Bands,
 *   colours and advice as published on air4thai.pcd.go.th; summaries at
 *   https://thailand.go.th/issue-focus-detail/001_04_073 and
 *   https://www.thaipbsworld.com/thailands-new-air-quality-standard-to-take-effect-on-june-1st/ ;
 *   the five bands with their Thai meaning at http://sutair.sut.ac.th/air/airQualityIndex .
 * - US AQI: EPA, Technical Assistance Document for the Reporting of Daily Air Quality – the AQI,
 *   EPA-454/B-24-002 (May 2024), Table 6, after the PM NAAQS reconsideration (89 FR 16202, 6 March 2024,
 *   effective 6 May 2024): PM2.5 Good ends at 9.0 µg/m³ and Hazardous is one band 301–500.
 *
 * Input units (one set for both scales, the units Thai stations report): PM2.5 and PM10 in µg/m³,
 * O3, NO2 and SO2 in ppb, CO in ppm. The US table's O3 is in ppm, so O3 is divided by 1000 for it.
 *
 * Averaging (the caller supplies averages; this module does not average):
 * Thai: PM2.5, PM10 24-hour; O3, CO 8-hour; NO2, SO2 1-hour.
 * US:   PM2.5, PM10 24-hour; O3, CO 8-hour; NO2, SO2 1-hour (the US table's 1-hour SO2 stops at 304 ppb).
 */

import { type Message, msg, translate } from '../../core/i18n.ts';

export type Scale = 'th' | 'us';
export const pollutants = ['pm25', 'pm10', 'o3', 'co', 'no2', 'so2'] as const;
export type Pollutant = (typeof pollutants)[number];
export type Concentrations = Partial<Record<Pollutant, number>>;

export const units: Record<Pollutant, string> = {
  pm25: 'µg/m³',
  pm10: 'µg/m³',
  o3: 'ppb',
  co: 'ppm',
  no2: 'ppb',
  so2: 'ppb',
};

export const averaging: Record<Pollutant, '24h' | '8h' | '1h'> = {
  pm25: '24h',
  pm10: '24h',
  o3: '8h',
  co: '8h',
  no2: '1h',
  so2: '1h',
};

/** One line of a breakpoint table: concentrations cLo–cHi map linearly onto indices iLo–iHi. */
export interface Breakpoint {
  cLo: number;
  cHi: number;
  iLo: number;
  iHi: number;
}

interface Table {
  /** Concentrations are truncated to this many decimals before lookup (the table's precision). */
  decimals: number;
  /** Multiplies the input (in the units above) into the table's unit. */
  factor: number;
  rows: Breakpoint[];
  /**
   * What to do above the last row: `extend` continues the line of `extendFrom` (a row); `refuse`
   * means the table does not define higher values for this averaging time.
   */
  above:
    | { kind: 'extend'; from: Breakpoint; origin: { c: number; i: number } }
    | { kind: 'refuse'; why: Message };
}

const bp = (cLo: number, cHi: number, iLo: number, iHi: number): Breakpoint => ({ cLo, cHi, iLo, iHi });

/**
 * PCD table (2023). The last band (index 201 and up) is open-ended in the PCD table: no upper
 * concentration is given. Above it we continue the straight line of the 101–200 band from the point
 * (first concentration of the red band, 201), so the index keeps rising at the rate of the band below.
 * This extension is OUR CHOICE, documented as such; PCD publishes no formula for it.
 */
function thaiTable(decimals: number, rows: Breakpoint[], redFrom: number): Table {
  const orange = rows[rows.length - 1];
  return {
    decimals,
    factor: 1,
    rows,
    above: { kind: 'extend', from: orange, origin: { c: redFrom, i: 201 } },
  };
}

export const thaiTables: Record<Pollutant, Table> = {
  pm25: thaiTable(
    1,
    [bp(0, 15.0, 0, 25), bp(15.1, 25.0, 26, 50), bp(25.1, 37.5, 51, 100), bp(37.6, 75.0, 101, 200)],
    75.1,
  ),
  pm10: thaiTable(
    0,
    [bp(0, 50, 0, 25), bp(51, 80, 26, 50), bp(81, 120, 51, 100), bp(121, 180, 101, 200)],
    181,
  ),
  o3: thaiTable(0, [bp(0, 35, 0, 25), bp(36, 50, 26, 50), bp(51, 70, 51, 100), bp(71, 120, 101, 200)], 121),
  co: thaiTable(
    1,
    [bp(0, 4.4, 0, 25), bp(4.5, 6.4, 26, 50), bp(6.5, 9.0, 51, 100), bp(9.1, 30.0, 101, 200)],
    30.1,
  ),
  no2: thaiTable(
    0,
    [bp(0, 60, 0, 25), bp(61, 106, 26, 50), bp(107, 170, 51, 100), bp(171, 340, 101, 200)],
    341,
  ),
  so2: thaiTable(
    0,
    [bp(0, 100, 0, 25), bp(101, 200, 26, 50), bp(201, 300, 51, 100), bp(301, 400, 101, 200)],
    401,
  ),
};

/**
 * EPA table (2024). AirNow calls values above 500 "Beyond the AQI" and publishes no formula for them
 * (https://forum.airnowtech.org/t/the-aqi-equation-2024-valid-beginning-may-6th-2024/453). Above the
 * top breakpoint we continue the line of the top band (301–500), OUR CHOICE, and flag the result
 * `beyondScale` so a client can show "500+" / "Beyond the AQI" instead of the number.
 */
function usTable(decimals: number, rows: Breakpoint[], factor = 1): Table {
  const top = rows[rows.length - 1];
  return { decimals, factor, rows, above: { kind: 'extend', from: top, origin: { c: top.cLo, i: top.iLo } } };
}

export const usTables: Record<Pollutant, Table> = {
  pm25: usTable(1, [
    bp(0, 9.0, 0, 50),
    bp(9.1, 35.4, 51, 100),
    bp(35.5, 55.4, 101, 150),
    bp(55.5, 125.4, 151, 200),
    bp(125.5, 225.4, 201, 300),
    bp(225.5, 325.4, 301, 500),
  ]),
  pm10: usTable(0, [
    bp(0, 54, 0, 50),
    bp(55, 154, 51, 100),
    bp(155, 254, 101, 150),
    bp(255, 354, 151, 200),
    bp(355, 424, 201, 300),
    bp(425, 604, 301, 500),
  ]),
  // 8-hour O3 in ppm; it does not define indices above 300 (those come from 1-hour O3, not taken here).
  o3: {
    decimals: 3,
    factor: 0.001,
    rows: [
      bp(0, 0.054, 0, 50),
      bp(0.055, 0.07, 51, 100),
      bp(0.071, 0.085, 101, 150),
      bp(0.086, 0.105, 151, 200),
      bp(0.106, 0.2, 201, 300),
    ],
    above: {
      kind: 'refuse',
      why: msg('air_quality.us_o3_8h_beyond'),
    },
  },
  co: usTable(1, [
    bp(0, 4.4, 0, 50),
    bp(4.5, 9.4, 51, 100),
    bp(9.5, 12.4, 101, 150),
    bp(12.5, 15.4, 151, 200),
    bp(15.5, 30.4, 201, 300),
    bp(30.5, 50.4, 301, 500),
  ]),
  no2: usTable(0, [
    bp(0, 53, 0, 50),
    bp(54, 100, 51, 100),
    bp(101, 360, 101, 150),
    bp(361, 649, 151, 200),
    bp(650, 1249, 201, 300),
    bp(1250, 2049, 301, 500),
  ]),
  // 1-hour SO2 in ppb; indices above 200 need the 24-hour SO2 average, not taken here.
  so2: {
    decimals: 0,
    factor: 1,
    rows: [bp(0, 35, 0, 50), bp(36, 75, 51, 100), bp(76, 185, 101, 150), bp(186, 304, 151, 200)],
    above: {
      kind: 'refuse',
      why: msg('air_quality.us_so2_1h_beyond'),
    },
  },
};

export interface BandInfo {
  key: string;
  /** Lowest index of the band; the band runs up to the next band's `from` minus one. */
  from: number;
  name: { th: string; en: string };
  colour: string;
  advice: { th: string; en: string };
}

/** PCD bands, colours as drawn on air4thai.pcd.go.th, advice following PCD's published wording. */
export const thaiBands: BandInfo[] = [
  {
    key: 'very-good',
    from: 0,
    name: { th: 'คุณภาพอากาศดีมาก', en: 'Very good' },
    colour: '#3BCCFF',
    advice: {
      th: 'คุณภาพอากาศดีมาก เหมาะสำหรับกิจกรรมกลางแจ้งและการท่องเที่ยว',
      en: 'Very good air quality, suitable for outdoor activities and travel.',
    },
  },
  {
    key: 'good',
    from: 26,
    name: { th: 'คุณภาพอากาศดี', en: 'Good' },
    colour: '#92D050',
    advice: {
      th: 'คุณภาพอากาศดี สามารถทำกิจกรรมกลางแจ้งและการท่องเที่ยวได้ตามปกติ',
      en: 'Good air quality; outdoor activities and travel as usual.',
    },
  },
  {
    key: 'moderate',
    from: 51,
    name: { th: 'ปานกลาง', en: 'Moderate' },
    colour: '#FFFF00',
    advice: {
      th: 'ประชาชนทั่วไป: สามารถทำกิจกรรมกลางแจ้งได้ตามปกติ ผู้ที่ต้องดูแลสุขภาพเป็นพิเศษ: หากมีอาการเบื้องต้น เช่น ไอ หายใจลำบาก ระคายเคืองตา ควรลดระยะเวลาการทำกิจกรรมกลางแจ้ง',
      en: 'General public: outdoor activities as usual. People who need special health care: if you have symptoms such as coughing, difficulty breathing or eye irritation, spend less time outdoors.',
    },
  },
  {
    key: 'starting-to-affect-health',
    from: 101,
    name: { th: 'เริ่มมีผลกระทบต่อสุขภาพ', en: 'Starting to affect health' },
    colour: '#FFA200',
    advice: {
      th: 'ประชาชนทั่วไป: ควรเฝ้าระวังสุขภาพ ถ้ามีอาการเบื้องต้น เช่น ไอ หายใจลำบาก ระคายเคืองตา ควรลดระยะเวลาการทำกิจกรรมกลางแจ้ง หรือใช้อุปกรณ์ป้องกันตนเองหากมีความจำเป็น ผู้ที่ต้องดูแลสุขภาพเป็นพิเศษ: ควรลดระยะเวลาการทำกิจกรรมกลางแจ้ง หรือใช้อุปกรณ์ป้องกันตนเองหากมีความจำเป็น ถ้ามีอาการทางสุขภาพ เช่น ไอ หายใจลำบาก ตาอักเสบ แน่นหน้าอก ปวดศีรษะ หัวใจเต้นไม่เป็นปกติ คลื่นไส้ อ่อนเพลีย ควรพบแพทย์',
      en: 'General public: watch your health; with symptoms such as coughing, difficulty breathing or eye irritation, spend less time outdoors or use protective equipment if needed. People who need special health care: spend less time outdoors or use protective equipment if needed; with chest tightness, headache, irregular heartbeat, nausea or fatigue, see a doctor.',
    },
  },
  {
    key: 'affects-health',
    from: 201,
    name: { th: 'มีผลกระทบต่อสุขภาพ', en: 'Affects health' },
    colour: '#F04646',
    advice: {
      th: 'ทุกคน: ควรหลีกเลี่ยงกิจกรรมกลางแจ้ง หลีกเลี่ยงพื้นที่ที่มีมลพิษทางอากาศสูง หรือใช้อุปกรณ์ป้องกันตนเองหากมีความจำเป็น หากมีอาการทางสุขภาพควรพบแพทย์',
      en: 'Everyone: avoid outdoor activities and areas with high air pollution, or use protective equipment if needed; see a doctor if you have symptoms.',
    },
  },
];

/** EPA categories and colours (TAD 2024, Tables 1–2); advice is the general cautionary statement. */
export const usBands: BandInfo[] = [
  {
    key: 'good',
    from: 0,
    name: { th: 'ดี', en: 'Good' },
    colour: '#00E400',
    advice: { th: 'คุณภาพอากาศเป็นที่น่าพอใจ', en: 'Air quality is satisfactory; enjoy outdoor activities.' },
  },
  {
    key: 'moderate',
    from: 51,
    name: { th: 'ปานกลาง', en: 'Moderate' },
    colour: '#FFFF00',
    advice: {
      th: 'ผู้ที่ไวต่อมลพิษเป็นพิเศษควรพิจารณาลดกิจกรรมกลางแจ้งที่ใช้แรงมากหรือนาน',
      en: 'Unusually sensitive people should consider reducing prolonged or heavy exertion outdoors.',
    },
  },
  {
    key: 'unhealthy-for-sensitive-groups',
    from: 101,
    name: { th: 'มีผลต่อกลุ่มเสี่ยง', en: 'Unhealthy for sensitive groups' },
    colour: '#FF7E00',
    advice: {
      th: 'กลุ่มเสี่ยง (เด็ก ผู้สูงอายุ ผู้มีโรคหัวใจหรือปอด) ควรลดกิจกรรมกลางแจ้งที่ใช้แรงมากหรือนาน',
      en: 'Sensitive groups (children, older adults, people with heart or lung disease) should reduce prolonged or heavy exertion outdoors.',
    },
  },
  {
    key: 'unhealthy',
    from: 151,
    name: { th: 'ไม่ดีต่อสุขภาพ', en: 'Unhealthy' },
    colour: '#FF0000',
    advice: {
      th: 'กลุ่มเสี่ยงควรหลีกเลี่ยงกิจกรรมกลางแจ้งที่ใช้แรงมาก ทุกคนควรลดกิจกรรมกลางแจ้ง',
      en: 'Sensitive groups should avoid prolonged or heavy exertion; everyone else should reduce it.',
    },
  },
  {
    key: 'very-unhealthy',
    from: 201,
    name: { th: 'ไม่ดีต่อสุขภาพมาก', en: 'Very unhealthy' },
    colour: '#8F3F97',
    advice: {
      th: 'กลุ่มเสี่ยงควรงดกิจกรรมกลางแจ้ง ทุกคนควรหลีกเลี่ยงกิจกรรมกลางแจ้งที่ใช้แรงมาก',
      en: 'Sensitive groups should avoid all physical activity outdoors; everyone else should avoid prolonged or heavy exertion.',
    },
  },
  {
    key: 'hazardous',
    from: 301,
    name: { th: 'อันตราย', en: 'Hazardous' },
    colour: '#7E0023',
    advice: {
      th: 'ทุกคนควรงดกิจกรรมกลางแจ้ง กลุ่มเสี่ยงควรอยู่ในอาคาร',
      en: 'Everyone should avoid all physical activity outdoors; sensitive groups should remain indoors.',
    },
  },
];

export class BeyondTableError extends Error {
  constructor(
    readonly pollutant: Pollutant,
    readonly why: Message,
  ) {
    super(translate(why, 'en'));
  }
}

/** Truncates (never rounds) to `decimals`, as both agencies specify; guards binary float noise. */
export function truncate(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.floor(value * f + 1e-9) / f;
}

export interface SubIndex {
  pollutant: Pollutant;
  /** The concentration as used: truncated, in the input unit. */
  concentration: number;
  unit: string;
  averaging: '24h' | '8h' | '1h';
  index: number;
  /** Above the last published band: computed by the extension rule documented above. */
  extrapolated: boolean;
}

/** The sub-index of one pollutant: I = (iHi − iLo)/(cHi − cLo) × (C − cLo) + iLo, rounded to an integer. */
export function subIndex(scale: Scale, pollutant: Pollutant, value: number): SubIndex {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${pollutant} must be a finite number ≥ 0`);
  const table = (scale === 'th' ? thaiTables : usTables)[pollutant];
  const c = truncate(value * table.factor, table.decimals);
  const concentration = truncate(c / table.factor, pollutant === 'o3' && scale === 'us' ? 0 : table.decimals);
  const base = { pollutant, concentration, unit: units[pollutant], averaging: averaging[pollutant] };
  // Between two rows (e.g. 15.05 before truncation cannot happen; 15.0 < c < 15.1 cannot either), so a
  // truncated concentration always falls in a row or above the last one.
  const row = table.rows.find((r) => c <= r.cHi);
  if (row) {
    const index = Math.round(((row.iHi - row.iLo) / (row.cHi - row.cLo)) * (c - row.cLo) + row.iLo);
    return { ...base, index, extrapolated: false };
  }
  if (table.above.kind === 'refuse') throw new BeyondTableError(pollutant, table.above.why);
  const { from, origin } = table.above;
  const slope = (from.iHi - from.iLo) / (from.cHi - from.cLo);
  const index = Math.round(origin.i + slope * (c - origin.c));
  return { ...base, index, extrapolated: scale === 'us' || c > origin.c };
}

export interface AqiResult {
  scale: Scale;
  aqi: number;
  band: { key: string; name: { th: string; en: string }; colour: string };
  advice: { th: string; en: string };
  /** The pollutant with the highest sub-index (the first given, in table order, on a tie). */
  dominant: Pollutant;
  subIndices: SubIndex[];
  /** The index lies above the published scale (Thai red band is open-ended; US above 500). */
  beyondScale: boolean;
}

export function bandFor(scale: Scale, index: number): BandInfo {
  const bands = scale === 'th' ? thaiBands : usBands;
  let band = bands[0];
  for (const b of bands) if (index >= b.from) band = b;
  return band;
}

/** The index is the highest sub-index. Throws RangeError when no pollutant is given. */
export function airQualityIndex(scale: Scale, values: Concentrations): AqiResult {
  const subIndices: SubIndex[] = [];
  for (const p of pollutants) {
    const v = values[p];
    if (v !== undefined) subIndices.push(subIndex(scale, p, v));
  }
  if (subIndices.length === 0) throw new RangeError('at least one pollutant is required');
  let top = subIndices[0];
  for (const s of subIndices) if (s.index > top.index) top = s;
  const band = bandFor(scale, top.index);
  return {
    scale,
    aqi: top.index,
    band: { key: band.key, name: band.name, colour: band.colour },
    advice: band.advice,
    dominant: top.pollutant,
    subIndices,
    beyondScale: scale === 'us' ? top.index > 500 : top.extrapolated,
  };
}
