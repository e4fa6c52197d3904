import type { LandBuildingRates, LateRule, SignRates } from './assessment.ts';
import { type RateYearInput, statutory } from './rate-rules.ts';

/**
 * Defaults only: the assessment reads a year's rates from `tax_rate_years` (rate-years.ts), which
 * staff set (`PUT /api/tax/rates/{year}`, the screen /tax/rates). These are the Royal Decree rates
 * for Land and Building Tax (B.E. 2562) and the signboard rates of the Ministerial Regulation
 * B.E. 2563: the demo seed and the benchmark write them as 2569 (`seedDefaultRates`), the screen
 * offers them to start a year from, and the pure functions' tests use them.
 */
export const landBuildingRates2569: LandBuildingRates = {
  year: 2569,
  agriculture: [
    { fromBaht: 0, ratePercent: 0.01 },
    { fromBaht: 75_000_000, ratePercent: 0.03 },
    { fromBaht: 100_000_000, ratePercent: 0.05 },
    { fromBaht: 500_000_000, ratePercent: 0.07 },
    { fromBaht: 1_000_000_000, ratePercent: 0.1 },
  ],
  residentialMainHome: [
    { fromBaht: 0, ratePercent: 0 },
    { fromBaht: 50_000_000, ratePercent: 0.03 },
    { fromBaht: 75_000_000, ratePercent: 0.05 },
    { fromBaht: 100_000_000, ratePercent: 0.1 },
  ],
  residentialOther: [
    { fromBaht: 0, ratePercent: 0.02 },
    { fromBaht: 50_000_000, ratePercent: 0.03 },
    { fromBaht: 75_000_000, ratePercent: 0.05 },
    { fromBaht: 100_000_000, ratePercent: 0.1 },
  ],
  other: [
    { fromBaht: 0, ratePercent: 0.3 },
    { fromBaht: 50_000_000, ratePercent: 0.4 },
    { fromBaht: 200_000_000, ratePercent: 0.5 },
    { fromBaht: 1_000_000_000, ratePercent: 0.6 },
    { fromBaht: 5_000_000_000, ratePercent: 0.7 },
  ],
  vacant: [
    { fromBaht: 0, ratePercent: 0.3 },
    { fromBaht: 50_000_000, ratePercent: 0.4 },
    { fromBaht: 200_000_000, ratePercent: 0.5 },
    { fromBaht: 1_000_000_000, ratePercent: 0.6 },
    { fromBaht: 5_000_000_000, ratePercent: 0.7 },
  ],
  ceilings: statutory.ceilings,
  vacantSurchargePercentPer3Years: 0.3,
  vacantMaxPercent: 3,
  exemptions: {
    mainHomeOwnerOfLandAndBuilding: 50_000_000,
    mainHomeBuildingOnly: 10_000_000,
    agricultureIndividual: 50_000_000,
  },
  reductionPercent: 0,
};

export const signRates2569: SignRates = {
  year: 2569,
  per500cm2: {
    1: { moving: 10, static: 5 },
    2: { moving: 52, static: 26 },
    3: { moving: 52, static: 50 },
  },
  minimumBaht: 200,
};

/**
 * Late payment of Land and Building Tax (Act B.E. 2562): 1 % a month or part of one (s.70); a penalty
 * of 40 % of the tax, 10 % when paid before the municipality's reminder (s.68, the reminder of s.61),
 * 20 % when paid within the time the reminder sets (s.69).
 */
export const landBuildingLate = {
  surchargePercentPerMonth: 1,
  penaltyPercent: 40,
  penaltyBeforeReminderPercent: 10,
  penaltyWithinReminderPercent: 20,
};
/** Late signboard tax: 2% a month surcharge. */
export const signLate: LateRule = { surchargePercentPerMonth: 2, penaltyPercent: 0 };

/** Land and building tax of at least 3,000 baht may be paid in three monthly instalments. */
export const instalmentRule = { minimumBaht: 3_000, count: 3 };
/**
 * Signboard tax of at least 3,000 baht may be paid in three equal instalments (Signboard Tax Act
 * B.E. 2510, section 14 bis, added by the Act (No. 2) B.E. 2534): the first by the bill's due date,
 * each of the others within a month of the one before.
 */
export const signInstalmentRule = { minimumBaht: 3_000, count: 3 };

/**
 * Signboard Tax Act s.25: (1) 10 % of the tax for a ภ.ป.1 not filed in time, 5 % when the owner files
 * it before staff tell them of the omission; (2) 10 % of the difference for an understated one.
 */
export const signLateFiling = {
  lateFilingPercent: 10,
  lateFilingBeforeNoticePercent: 5,
  understatementPercent: 10,
};

/** The defaults above as one year's record, as the API takes it. */
export function defaultRates(): RateYearInput {
  const { year: _y, ceilings: _c, reductionPercent, ...landBuilding } = landBuildingRates2569;
  return structuredClone({
    landBuilding,
    sign: { per500cm2: signRates2569.per500cm2, minimumBaht: signRates2569.minimumBaht },
    late: { landBuilding: landBuildingLate, sign: { ...signLate, ...signLateFiling } },
    instalments: { ...instalmentRule, sign: signInstalmentRule },
    reductionPercent,
    source:
      'Royal Decree on Land and Building Tax rates (Act B.E. 2562); Ministerial Regulation on signboard tax rates B.E. 2563. Defaults: check them against the ordinance of the municipality.',
  });
}
