import { type Static, Type } from 'typebox';
import type { FieldError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import type { Band, LandBuildingRates, LateRule, SignRates, Use } from './assessment.ts';

registerMessages({
  'tax.rates_invalid': {
    th: 'อัตราภาษีไม่เป็นไปตามกฎหมาย',
    en: 'The rates do not comply with the law',
  },
  'tax.rates_frozen': {
    th: 'อัตราภาษีของปีที่ออกใบแจ้งภาษีแล้วแก้ไขไม่ได้',
    en: 'The rates of a year with bills issued cannot be changed',
  },
  'tax.rates_frozen_bills': {
    th: 'ออกใบแจ้งภาษีปี {year} แล้ว {bills} ฉบับ อัตราของปีนี้จึงแก้ไขไม่ได้',
    en: '{bills} bills have been issued for {year}, so its rates are frozen',
  },
  'tax.rates_stored_invalid': {
    th: 'อัตราภาษีปี {year} ที่บันทึกไว้ไม่เป็นไปตามกฎหมาย ต้องแก้ไขก่อนประเมิน',
    en: 'the stored rates for {year} break the law; correct them before assessing',
  },
  'tax.rate_above_ceiling': {
    th: 'เกินเพดานตามกฎหมาย {ceiling}%',
    en: 'above the statutory ceiling of {ceiling}%',
  },
  'tax.rate_negative': { th: 'ต้องไม่ติดลบ', en: 'must not be negative' },
  'tax.rate_decimals': { th: 'ทศนิยมได้ไม่เกิน 3 ตำแหน่ง', en: 'at most three decimals' },
  'tax.band_first_zero': { th: 'ขั้นแรกต้องเริ่มที่ 0 บาท', en: 'the first band must start at 0 baht' },
  'tax.band_not_ascending': {
    th: 'ต้องมากกว่าจุดเริ่มของขั้นก่อนหน้า',
    en: 'must be above the start of the band before',
  },
  'tax.percent_range': { th: 'ต้องอยู่ระหว่าง 0 ถึง 100%', en: 'must be between 0 and 100%' },
  'tax.whole_baht': { th: 'ต้องเป็นจำนวนเต็มบาท', en: 'must be whole baht' },
  'tax.amount_too_large': {
    th: 'ต้องไม่เกิน {limit} บาท',
    en: 'must not be more than {limit} baht',
  },
  'tax.penalty_order': {
    th: 'เบี้ยปรับต้องไม่ลดลงตามลำดับ: ก่อนได้รับหนังสือแจ้งเตือน ≤ ภายในเวลาที่แจ้งเตือน ≤ หลังพ้นเวลานั้น',
    en: 'the penalties must not fall in this order: before a reminder ≤ within its time ≤ after it',
  },
  'tax.sign_rate_positive': { th: 'ต้องมากกว่า 0 บาท', en: 'must be more than 0 baht' },
  'tax.sign_minimum_law': {
    th: 'พระราชบัญญัติภาษีป้ายกำหนดขั้นต่ำป้ายละ {minimum} บาท',
    en: 'the Signboard Tax Act sets the minimum at {minimum} baht a sign',
  },
});

/**
 * The Land and Building Tax Act B.E. 2562's ceilings (s.37), in percent of the value: an ordinance
 * or decree may set any rate up to them, never above. Vacant land's rate rises by 0.3 % for every
 * three years left unused, to at most 3 % in all.
 */
export const statutory = {
  ceilings: { agriculture: 0.15, residential: 0.3, other: 1.2, vacant: 1.2 } as Record<Use, number>,
  vacantSurchargePercentPer3Years: 0.3,
  vacantMaxPercent: 3,
  /** Signboard Tax Act B.E. 2510: a sign whose tax comes to less pays this (baht). */
  signMinimumBaht: 200,
};

/** Values this large lose satang in floating point once multiplied (10¹² baht, far above any value). */
const maxBaht = 1_000_000_000_000;

const Num = Type.Number();
const BandSchema = Type.Object({ fromBaht: Num, ratePercent: Num }, { additionalProperties: false });
const Bands = Type.Array(BandSchema, { minItems: 1, maxItems: 20 });
const MovingStatic = Type.Object({ moving: Num, static: Num }, { additionalProperties: false });
const Late = { surchargePercentPerMonth: Num, penaltyPercent: Num };

/** A year's rates as staff send them: types here (400), the law's limits in `rateProblems` (422). */
export const RateYearBody = Type.Object(
  {
    landBuilding: Type.Object(
      {
        agriculture: Bands,
        residentialMainHome: Bands,
        residentialOther: Bands,
        other: Bands,
        vacant: Bands,
        vacantSurchargePercentPer3Years: Num,
        vacantMaxPercent: Num,
        exemptions: Type.Object(
          { mainHomeOwnerOfLandAndBuilding: Num, mainHomeBuildingOnly: Num, agricultureIndividual: Num },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    sign: Type.Object(
      {
        per500cm2: Type.Object(
          { 1: MovingStatic, 2: MovingStatic, 3: MovingStatic },
          { additionalProperties: false },
        ),
        minimumBaht: Num,
      },
      { additionalProperties: false },
    ),
    late: Type.Object(
      {
        landBuilding: Type.Object(
          {
            ...Late,
            // Land and Building Tax Act B.E. 2562 s.68–69: paid before the reminder (s.61), and within its time.
            penaltyBeforeReminderPercent: Num,
            penaltyWithinReminderPercent: Num,
          },
          { additionalProperties: false },
        ),
        sign: Type.Object(
          {
            ...Late,
            // Signboard Tax Act s.25(1): a ภ.ป.1 not filed in time, found by staff; filed late by the owner
            // before staff told them of it; s.25(2): an understated declaration (of the difference).
            lateFilingPercent: Num,
            lateFilingBeforeNoticePercent: Num,
            understatementPercent: Num,
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    instalments: Type.Object(
      {
        minimumBaht: Num,
        count: Type.Integer({ minimum: 1, maximum: 12 }),
        // Signboard Tax Act s.14 bis: its own minimum and number of instalments.
        sign: Type.Object(
          { minimumBaht: Num, count: Type.Integer({ minimum: 1, maximum: 12 }) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    reductionPercent: Num,
    source: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type RateYearInput = Static<typeof RateYearBody>;
export type LandBuildingLateRule = RateYearInput['late']['landBuilding'];
export type SignLateRule = LateRule & {
  lateFilingPercent: number;
  lateFilingBeforeNoticePercent: number;
  understatementPercent: number;
};

const tables = [
  ['agriculture', 'agriculture'],
  ['residentialMainHome', 'residential'],
  ['residentialOther', 'residential'],
  ['other', 'other'],
  ['vacant', 'vacant'],
] as const;

/** Percent figures are held in thousandths by the assessment (assessment.ts, `progressive`). */
const thousandths = (n: number) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6;

/** Every way `r` breaks the law or the assessment's arithmetic, each beside its field (JSON pointer). */
export function rateProblems(r: RateYearInput): FieldError[] {
  const out: FieldError[] = [];
  const add = (path: string, message: FieldError['message']) => out.push({ path, message });
  const percent = (path: string, n: number, max = 100) => {
    if (n < 0) add(path, msg('tax.rate_negative'));
    else if (n > max)
      add(path, max === 100 ? msg('tax.percent_range') : msg('tax.rate_above_ceiling', { ceiling: max }));
    else if (!thousandths(n)) add(path, msg('tax.rate_decimals'));
  };
  const amount = (path: string, n: number) => {
    if (n < 0) add(path, msg('tax.rate_negative'));
    else if (n > maxBaht) add(path, msg('tax.amount_too_large', { limit: maxBaht }));
    else if (!Number.isInteger(n)) add(path, msg('tax.whole_baht'));
  };
  const lb = r.landBuilding;
  for (const [key, use] of tables) {
    const bands: Band[] = lb[key];
    bands.forEach((b, i) => {
      const at = `/landBuilding/${key}/${i}`;
      amount(`${at}/fromBaht`, b.fromBaht);
      if (i === 0 && b.fromBaht !== 0) add(`${at}/fromBaht`, msg('tax.band_first_zero'));
      if (i > 0 && b.fromBaht <= bands[i - 1].fromBaht) add(`${at}/fromBaht`, msg('tax.band_not_ascending'));
      percent(`${at}/ratePercent`, b.ratePercent, statutory.ceilings[use]);
    });
  }
  percent(
    '/landBuilding/vacantSurchargePercentPer3Years',
    lb.vacantSurchargePercentPer3Years,
    statutory.vacantSurchargePercentPer3Years,
  );
  percent('/landBuilding/vacantMaxPercent', lb.vacantMaxPercent, statutory.vacantMaxPercent);
  for (const [key, n] of Object.entries(lb.exemptions)) amount(`/landBuilding/exemptions/${key}`, n);
  for (const type of ['1', '2', '3'] as const)
    for (const kind of ['moving', 'static'] as const) {
      const n = r.sign.per500cm2[type][kind];
      const at = `/sign/per500cm2/${type}/${kind}`;
      if (n <= 0) add(at, msg('tax.sign_rate_positive'));
      else if (n > maxBaht) add(at, msg('tax.amount_too_large', { limit: maxBaht }));
      else if (!Number.isInteger(n)) add(at, msg('tax.whole_baht'));
    }
  if (r.sign.minimumBaht !== statutory.signMinimumBaht)
    add('/sign/minimumBaht', msg('tax.sign_minimum_law', { minimum: statutory.signMinimumBaht }));
  for (const kind of ['landBuilding', 'sign'] as const)
    for (const [key, n] of Object.entries(r.late[kind])) percent(`/late/${kind}/${key}`, n);
  const lbLate = r.late.landBuilding;
  // A reminder only ever lowers the penalty: 10 % before it, 20 % within its time, 40 % after (s.68–69).
  const penalties = [
    lbLate.penaltyBeforeReminderPercent,
    lbLate.penaltyWithinReminderPercent,
    lbLate.penaltyPercent,
  ];
  // Checked only once each is a percentage, so one wrong figure is named once.
  if (penalties.every((n) => n >= 0 && n <= 100)) {
    if (penalties[0] > penalties[1])
      add('/late/landBuilding/penaltyBeforeReminderPercent', msg('tax.penalty_order'));
    if (penalties[1] > penalties[2])
      add('/late/landBuilding/penaltyWithinReminderPercent', msg('tax.penalty_order'));
  }
  amount('/instalments/minimumBaht', r.instalments.minimumBaht);
  amount('/instalments/sign/minimumBaht', r.instalments.sign.minimumBaht);
  percent('/reductionPercent', r.reductionPercent);
  return out;
}

/** The assessment's tables for a year's record (the ceilings are the law's, not the record's). */
export function assessmentRates(
  year: number,
  r: RateYearInput,
): { landBuilding: LandBuildingRates; sign: SignRates } {
  return {
    landBuilding: {
      year,
      ...r.landBuilding,
      ceilings: statutory.ceilings,
      reductionPercent: r.reductionPercent,
    },
    sign: { year, per500cm2: r.sign.per500cm2, minimumBaht: r.sign.minimumBaht },
  };
}
