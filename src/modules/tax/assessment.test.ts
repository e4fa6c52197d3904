import { describe, expect, it } from 'vitest';
import {
  assessProperty,
  assessSign,
  lateCharges,
  type Property,
  quartersDue,
  RateError,
} from './assessment.ts';
import { landBuildingLate, landBuildingRates2569 as rates, signRates2569 } from './rates.ts';

const M = 1_000_000;
/** A property of `valueBaht`, all land (1,000 m²), in one or more uses. */
const property = (
  valueBaht: number,
  uses: Property['uses'],
  ownerKind: Property['ownerKind'] = 'person',
): Property => ({
  ownerKind,
  landAreaM2: 1000,
  landValuePerM2Baht: valueBaht / 1000,
  buildings: [],
  uses,
});
const tax = (p: Property) => assessProperty(p, rates).taxSatang / 100;

describe('Land and Building Tax assessment', () => {
  it.each([
    ['main home at exactly 50 million', 50 * M, 0],
    ['main home at 50,000,001 (0.0003 baht rounds to 0)', 50 * M + 1, 0],
    ['main home at 60 million', 60 * M, 3_000],
    ['main home at 80 million, two bands', 80 * M, 7_500 + 2_500],
  ])('%s', (_name, value, expected) => {
    expect(
      tax(property(value, [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }])),
    ).toBe(expected);
  });

  it('taxes a main home owned as a building only above 10 million', () => {
    expect(
      tax(property(10 * M, [{ use: 'residential', sharePercent: 100, mainHome: 'building-only' }])),
    ).toBe(0);
    expect(
      tax(property(60 * M, [{ use: 'residential', sharePercent: 100, mainHome: 'building-only' }])),
    ).toBe(8_000 + 3_000);
  });

  it('taxes other residences from the first baht, and gives juristic persons no main-home exemption', () => {
    expect(tax(property(10 * M, [{ use: 'residential', sharePercent: 100 }]))).toBe(2_000);
    expect(
      tax(
        property(
          10 * M,
          [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
          'juristic',
        ),
      ),
    ).toBe(2_000);
  });

  it('exempts the first 50 million of farmland for individuals only', () => {
    expect(tax(property(50 * M, [{ use: 'agriculture', sharePercent: 100 }]))).toBe(0);
    expect(tax(property(60 * M, [{ use: 'agriculture', sharePercent: 100 }]))).toBe(1_000);
    expect(tax(property(60 * M, [{ use: 'agriculture', sharePercent: 100 }], 'juristic'))).toBe(6_000);
  });

  it("applies the farmland bands to an individual's value above the 50 million exemption", () => {
    const farm = (value: number, kind?: 'juristic') =>
      tax(property(value, [{ use: 'agriculture', sharePercent: 100 }], kind));
    // 50–125 million at 0.01 %, 125–150 at 0.03 %, 150–550 at 0.05 % (the decree's 0–75, 75–100, 100–500
    // million bands on the value after the exemption).
    expect(farm(100 * M)).toBe(5_000);
    expect(farm(125 * M)).toBe(7_500);
    expect(farm(150 * M)).toBe(7_500 + 7_500);
    expect(farm(200 * M)).toBe(7_500 + 7_500 + 25_000);
    // A juristic person has no exemption: the decree's bands on the whole value.
    expect(farm(100 * M, 'juristic')).toBe(7_500 + 7_500);
    expect(farm(200 * M, 'juristic')).toBe(7_500 + 7_500 + 50_000);
  });

  it('taxes commercial use by bands', () => {
    expect(tax(property(10 * M, [{ use: 'other', sharePercent: 100 }]))).toBe(30_000);
    expect(tax(property(60 * M, [{ use: 'other', sharePercent: 100 }]))).toBe(150_000 + 40_000);
  });

  it('raises vacant land by 0.3% per three years unused, up to 3%', () => {
    expect(tax(property(10 * M, [{ use: 'vacant', sharePercent: 100, vacantYears: 2 }]))).toBe(30_000);
    expect(tax(property(10 * M, [{ use: 'vacant', sharePercent: 100, vacantYears: 3 }]))).toBe(60_000);
    expect(tax(property(10 * M, [{ use: 'vacant', sharePercent: 100, vacantYears: 40 }]))).toBe(300_000);
  });

  it('shows a surcharged rate as the ordinance writes it, not as floating point adds it', () => {
    // 0.3 + 2 × 0.3 is 0.8999999999999999 in floating point.
    const a = assessProperty(property(10 * M, [{ use: 'vacant', sharePercent: 100, vacantYears: 6 }]), rates);
    expect(a.taxSatang).toBe(90_000 * 100);
    const band = a.lines.find((l) => l.text.en.startsWith('Vacant 100%: value'));
    expect(band?.text.en).toMatch(/× 0\.9%$/);
    expect(band?.text.th).toMatch(/× 0\.9%$/);
  });

  it('splits a mixed-use parcel by share', () => {
    const p = property(20 * M, [
      { use: 'residential', sharePercent: 50 },
      { use: 'other', sharePercent: 50 },
    ]);
    expect(tax(p)).toBe(2_000 + 30_000);
    expect(() => tax(property(20 * M, [{ use: 'other', sharePercent: 60 }]))).toThrow(RateError);
  });

  it('values buildings after depreciation and shows the working line by line', () => {
    const p: Property = {
      ownerKind: 'person',
      landAreaM2: 100,
      landValuePerM2Baht: 10_000,
      buildings: [{ floorAreaM2: 200, costPerM2Baht: 7_000, ageYears: 10, depreciationPercent: 20 }],
      uses: [{ use: 'residential', sharePercent: 100 }],
    };
    const a = assessProperty(p, rates);
    expect(a.taxSatang).toBe(42_400); // (1,000,000 + 1,120,000) × 0.02% = 424 baht
    expect(a.lines.map((l) => l.satang)).toEqual([100_000_000, 112_000_000, 212_000_000, 42_400, 42_400]);
    expect(a.lines[1].text.th).toContain('หักค่าเสื่อม 20%');
    expect(a.lines.at(-1)?.text.en).toBe('Tax due');
  });

  it('applies a reduction decreed for the year', () => {
    const reduced = { ...rates, reductionPercent: 90 };
    expect(assessProperty(property(10 * M, [{ use: 'other', sharePercent: 100 }]), reduced).taxSatang).toBe(
      300_000,
    );
  });

  it('adds late charges as the rule says', () => {
    expect(lateCharges(1_000_000, 2.5, landBuildingLate)).toEqual({ surcharge: 30_000, penalty: 400_000 });
    expect(lateCharges(1_000_000, 0, landBuildingLate)).toEqual({ surcharge: 0, penalty: 0 });
    expect(lateCharges(1_000_000, 500, landBuildingLate).surcharge).toBe(1_000_000);
  });
});

describe('signboard tax', () => {
  const sign = (widthCm: number, heightCm: number, type: 1 | 2 | 3, moving: boolean) =>
    assessSign({ widthCm, heightCm, type, moving }, signRates2569).taxSatang / 100;

  it.each([
    ['type 1 static, small: the 200-baht minimum', 100, 50, 1, false, 200],
    ['type 1 moving, 100 × 500 cm = 100 units × 10', 100, 500, 1, true, 1_000],
    ['type 1 static, 100 × 500 cm = 100 units × 5', 100, 500, 1, false, 500],
    ['type 2 moving, 100 × 260 cm = 52 units × 52', 100, 260, 2, true, 2_704],
    ['type 2 static, 75,010 cm²: remainder under half dropped', 10, 7501, 2, false, 150 * 26],
    ['type 2 static, 75,260 cm²: remainder over half counts', 10, 7526, 2, false, 151 * 26],
    ['type 3 static, 200 × 300 cm = 120 units × 50', 200, 300, 3, false, 6_000],
    ['type 3 moving, 200 × 300 cm = 120 units × 52', 200, 300, 3, true, 6_240],
  ] as const)('%s', (_name, w, h, type, moving, expected) => {
    expect(sign(w, h, type, moving)).toBe(expected);
  });

  it('explains the minimum in the working', () => {
    const a = assessSign({ widthCm: 10, heightCm: 10, type: 1, moving: false }, signRates2569);
    expect(a.lines.at(-1)?.text.th).toContain('ขั้นต่ำ 200 บาท');
  });
});

describe('signboard tax for a sign put up during the year (quarters left)', () => {
  // 100 × 500 cm type 1 static = 500 baht a year; 10 × 10 cm = 1 unit, the 200-baht minimum.
  const big = { widthCm: 100, heightCm: 500, type: 1, moving: false } as const;
  const small = { widthCm: 10, heightCm: 10, type: 1, moving: false } as const;
  it.each([
    ['no installation day: full year', big, null, 500],
    ['put up 1 Jan 2026 (2569): full year', big, '2026-01-01', 500],
    ['put up 31 Mar 2026: Q1, full year', big, '2026-03-31', 500],
    ['put up 1 Apr 2026: 3/4', big, '2026-04-01', 375],
    ['put up 30 Sep 2026: Q3, 2/4', big, '2026-09-30', 250],
    ['put up 1 Oct 2026: 1/4', big, '2026-10-01', 125],
    ['put up 31 Dec 2026: 1/4', big, '2026-12-31', 125],
    ['put up in an earlier year (2025): full year', big, '2025-11-15', 500],
    ['put up in a later year than assessed: full year', big, '2027-02-01', 500],
    ['minimum, full year', small, '2026-01-01', 200],
    ['minimum before the quarters: 200 × 1/4', small, '2026-10-01', 50],
    ['minimum before the quarters: 200 × 3/4', small, '2026-05-20', 150],
  ] as const)('%s', (_name, s, installedOn, expected) => {
    expect(assessSign(s, signRates2569, installedOn).taxSatang / 100).toBe(expected);
  });

  it('shows the quarters as their own working line in Thai and English', () => {
    const a = assessSign(big, signRates2569, '2026-04-01');
    const last = a.lines.at(-1)!;
    expect(last.satang).toBe(37_500);
    expect(last.text.th).toContain('3 งวดจาก 4 งวด');
    expect(last.text.th).toContain('ไตรมาสที่ 2');
    expect(last.text.en).toContain('quarter 2');
    expect(last.text.en).toContain('× 3/4');
    expect(assessSign(big, signRates2569, '2026-03-31').lines).toHaveLength(1);
  });

  it('counts quarters only inside the assessed B.E. year', () => {
    expect(quartersDue(2569, '2026-07-01')).toBe(2);
    expect(quartersDue(2570, '2026-07-01')).toBe(4);
    expect(quartersDue(2569, undefined)).toBe(4);
  });
});

describe('band edges: the working at exactly 50,000,000 and 50,000,001 baht', () => {
  /** One m² worth `valueBaht`, so the value is exact (no floating-point area × price). */
  const exact = (valueBaht: number, uses: Property['uses']): Property => ({
    ownerKind: 'person',
    landAreaM2: 1,
    landValuePerM2Baht: valueBaht,
    buildings: [],
    uses,
  });
  /** The band lines in English: the part between two values, the part in baht, the rate; and its tax. */
  const bandLines = (p: Property) =>
    assessProperty(p, rates)
      .lines.filter((l) => /: value [\d,.]+–/.test(l.text.en))
      .map((l) => [l.text.en, l.satang]);
  const homeLH = [{ use: 'residential' as const, sharePercent: 100, mainHome: 'land-and-building' as const }];
  const homeB = [{ use: 'residential' as const, sharePercent: 100, mainHome: 'building-only' as const }];
  const other = [{ use: 'residential' as const, sharePercent: 100 }];
  const commercial = [{ use: 'other' as const, sharePercent: 100 }];
  const vacant = [{ use: 'vacant' as const, sharePercent: 100, vacantYears: 0 }];
  const vacant3 = [{ use: 'vacant' as const, sharePercent: 100, vacantYears: 3 }];
  const R = 'Residence 100%: value';
  const C = 'Other (commercial) 100%: value';
  const V = 'Vacant 100%: value';

  it.each([
    // The first 50 million are exempt: no band is taxed at all, so no band line.
    ['main home (land and house) at 50,000,000', 50 * M, homeLH, 0, []],
    // 0.03 % of 1 baht is 0.03 satang: shown, rounded to 0.
    [
      'main home (land and house) at 50,000,001',
      50 * M + 1,
      homeLH,
      0,
      [[`${R} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.03%`, 0]],
    ],
    [
      'main home (house only) at 50,000,000',
      50 * M,
      homeB,
      800_000,
      [[`${R} 10,000,000.00–50,000,000.00 baht (40,000,000.00 baht) × 0.02%`, 800_000]],
    ],
    [
      'main home (house only) at 50,000,001',
      50 * M + 1,
      homeB,
      800_000,
      [
        [`${R} 10,000,000.00–50,000,000.00 baht (40,000,000.00 baht) × 0.02%`, 800_000],
        [`${R} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.03%`, 0],
      ],
    ],
    [
      'other residence at 50,000,000',
      50 * M,
      other,
      1_000_000,
      [[`${R} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.02%`, 1_000_000]],
    ],
    [
      'other residence at 50,000,001',
      50 * M + 1,
      other,
      1_000_000,
      [
        [`${R} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.02%`, 1_000_000],
        [`${R} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.03%`, 0],
      ],
    ],
    [
      'commercial at 50,000,000',
      50 * M,
      commercial,
      15_000_000,
      [[`${C} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000]],
    ],
    // 0.4 % of 1 baht is 0.4 satang, rounded to 0.
    [
      'commercial at 50,000,001',
      50 * M + 1,
      commercial,
      15_000_000,
      [
        [`${C} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000],
        [`${C} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.4%`, 0],
      ],
    ],
    [
      'vacant at 50,000,000',
      50 * M,
      vacant,
      15_000_000,
      [[`${V} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000]],
    ],
    [
      'vacant at 50,000,001',
      50 * M + 1,
      vacant,
      15_000_000,
      [
        [`${V} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000],
        [`${V} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.4%`, 0],
      ],
    ],
    // Three years vacant: each band +0.3 %; 0.7 % of 1 baht is 0.7 satang, rounded up to 1.
    [
      'vacant three years at 50,000,001',
      50 * M + 1,
      vacant3,
      30_000_001,
      [
        [`${V} 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.6%`, 30_000_000],
        [`${V} 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.7%`, 1],
      ],
    ],
  ] as const)('%s', (_name, value, uses, taxSatang, lines) => {
    const p = exact(value, [...uses]);
    const a = assessProperty(p, rates);
    expect(a.taxSatang).toBe(taxSatang);
    expect(a.lines.at(-1)).toEqual({ text: { th: 'ภาษีที่ต้องชำระ', en: 'Tax due' }, satang: taxSatang });
    expect(bandLines(p)).toEqual(lines);
    // The working starts with the land's value and the part's value, exact to the baht.
    expect(a.lines[0].satang).toBe(value * 100);
    const name = { residential: 'Residence', other: 'Other (commercial)', vacant: 'Vacant' }[uses[0].use];
    expect(a.lines[1]).toEqual({
      text: { th: expect.any(String), en: `Value used for ${name} 100%` },
      satang: value * 100,
    });
  });

  it('writes the band line in Thai with the same figures', () => {
    const a = assessProperty(exact(50 * M + 1, [...homeLH]), rates);
    expect(a.lines.map((l) => l.text.th)).toEqual([
      'ที่ดิน 1 ตร.ม. × 50000001 บาท/ตร.ม.',
      'มูลค่าส่วนที่ใช้อยู่อาศัย 100%',
      'บ้านหลังหลัก (มาตรา 41, เป็นเจ้าของทั้งที่ดินและบ้าน) ยกเว้น 50,000,000.00 บาทแรก ให้ได้หลังเดียวของเจ้าของ',
      'อยู่อาศัย 100%: มูลค่าส่วน 50,000,000.00–50,000,001.00 บาท (1.00 บาท) × 0.03%',
      'ภาษีที่ต้องชำระ',
    ]);
  });

  it.each([
    // 100 million, 60 % main home: its 60 million less the 50 million exempt, 10 million at 0.03 %;
    // the 40 % shop at 0.3 %.
    [
      '60 % main home, 40 % commercial, at 100,000,000',
      100 * M,
      60,
      300_000 + 12_000_000,
      [
        [`Residence 60%: value 50,000,000.00–60,000,000.00 baht (10,000,000.00 baht) × 0.03%`, 300_000],
        [`Other (commercial) 40%: value 0.00–40,000,000.00 baht (40,000,000.00 baht) × 0.3%`, 12_000_000],
      ],
    ],
    // The home's share is exactly the exemption: nothing taxed on it.
    [
      '50 % main home, 50 % commercial, at 100,000,000',
      100 * M,
      50,
      15_000_000,
      [[`Other (commercial) 50%: value 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000]],
    ],
    // One baht over: 50,000,001 each (100,000,002 split in half), 1 baht of home at 0.03 % and the shop's
    // 1 baht over 50 million at 0.4 %, both under a satang.
    [
      '50 % main home, 50 % commercial, at 100,000,002',
      100 * M + 2,
      50,
      15_000_000,
      [
        [`Residence 50%: value 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.03%`, 0],
        [`Other (commercial) 50%: value 0.00–50,000,000.00 baht (50,000,000.00 baht) × 0.3%`, 15_000_000],
        [`Other (commercial) 50%: value 50,000,000.00–50,000,001.00 baht (1.00 baht) × 0.4%`, 0],
      ],
    ],
  ] as const)('mixed use: %s', (_name, value, homeShare, taxSatang, lines) => {
    const p = exact(value, [
      { use: 'residential', sharePercent: homeShare, mainHome: 'land-and-building' },
      { use: 'other', sharePercent: 100 - homeShare },
    ]);
    const a = assessProperty(p, rates);
    expect(a.taxSatang).toBe(taxSatang);
    expect(bandLines(p)).toEqual(lines);
    // The exemption is stated once, on the home's part, and the parts' values add up to the whole.
    const exemptions = a.lines.filter((l) => l.text.en.startsWith('Main home (s.41'));
    expect(exemptions.map((l) => l.text.en)).toEqual([
      'Main home (s.41, land and house owned): first 50,000,000.00 baht exempt, for one home of the owner',
    ]);
    const parts = a.lines.filter((l) => l.text.en.startsWith('Value used for'));
    expect(parts.map((l) => [l.text.en, l.satang])).toEqual([
      [`Value used for Residence ${homeShare}%`, ((value * homeShare) / 100) * 100],
      [`Value used for Other (commercial) ${100 - homeShare}%`, ((value * (100 - homeShare)) / 100) * 100],
    ]);
  });
});
