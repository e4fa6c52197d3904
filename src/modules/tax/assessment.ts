/**
 * Land and Building Tax (Act B.E. 2562) and signboard tax (Signboard Tax Act B.E. 2510, rates of the
 * Ministerial Regulation B.E. 2563) as pure functions over rate tables that are data, held per year.
 * All money is in satang (integers) so that sums and rounding are exact.
 */

export type Use = 'agriculture' | 'residential' | 'other' | 'vacant';

/** A marginal band: the rate (percent) applies to the part of the value between `from` and the next band. */
export interface Band {
  fromBaht: number;
  ratePercent: number;
}

export interface LandBuildingRates {
  year: number;
  /** Bands per use; residential has separate tables for the main home and other residences. */
  agriculture: Band[];
  residentialMainHome: Band[];
  residentialOther: Band[];
  other: Band[];
  vacant: Band[];
  /** Statutory ceilings (percent); a record above them is refused (rate-rules.ts, `rateProblems`). */
  ceilings: Record<Use, number>;
  vacantSurchargePercentPer3Years: number;
  vacantMaxPercent: number;
  exemptions: {
    mainHomeOwnerOfLandAndBuilding: number;
    mainHomeBuildingOnly: number;
    agricultureIndividual: number;
  };
  /** A reduction decreed for the year, in percent of the tax (0 for none). */
  reductionPercent: number;
}

export interface WorkingLine {
  text: { th: string; en: string };
  satang: number;
}

export interface Assessment {
  taxSatang: number;
  lines: WorkingLine[];
}

/** 1234567 satang → "12,345.67"; Intl's formatter is too slow for a whole city's working lines. */
export function baht(satang: number): string {
  const v = Math.round(Math.abs(satang));
  const whole = String(Math.floor(v / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${satang < 0 ? '-' : ''}${whole}.${String(v % 100).padStart(2, '0')}`;
}

export class RateError extends Error {}

/**
 * Tax on `valueSatang` over marginal bands (bands are on the whole value), the part below
 * `exemptSatang` untaxed, each band's rate raised by `extraPercent` up to `capPercent`.
 */
export function progressive(
  valueSatang: number,
  bands: Band[],
  label: { th: string; en: string },
  options: { exemptSatang?: number; extraPercent?: number; capPercent?: number; shiftSatang?: number } = {},
): Assessment {
  const {
    exemptSatang = 0,
    extraPercent = 0,
    capPercent = Number.POSITIVE_INFINITY,
    shiftSatang = 0,
  } = options;
  const lines: WorkingLine[] = [];
  let tax = 0;
  for (let i = 0; i < bands.length; i++) {
    const from = Math.max(bands[i].fromBaht * 100 + shiftSatang, exemptSatang);
    const to = i + 1 < bands.length ? bands[i + 1].fromBaht * 100 + shiftSatang : Number.POSITIVE_INFINITY;
    const part = Math.min(valueSatang, to) - from;
    if (part <= 0) continue;
    // Rates carry up to three decimals (0.6 + 0.3 is 0.8999… in floating point, so the working line
    // would show that): hold the rate in thousandths, and compute in integers, rounding once to the satang.
    const milli = Math.round(Math.min(bands[i].ratePercent + extraPercent, capPercent) * 1000);
    const rate = milli / 1000;
    const bandTax = Math.round((part * milli) / 100_000);
    tax += bandTax;
    lines.push({
      text: {
        th: `${label.th}: มูลค่าส่วน ${baht(from)}–${Number.isFinite(to) ? baht(Math.min(valueSatang, to)) : baht(valueSatang)} บาท (${baht(part)} บาท) × ${rate}%`,
        en: `${label.en}: value ${baht(from)}–${Number.isFinite(to) ? baht(Math.min(valueSatang, to)) : baht(valueSatang)} baht (${baht(part)} baht) × ${rate}%`,
      },
      satang: bandTax,
    });
  }
  return { taxSatang: tax, lines };
}

export interface Building {
  floorAreaM2: number;
  costPerM2Baht: number;
  ageYears: number;
  /** Depreciation by age from the Treasury Department's table, in percent (see depreciationPercent). */
  depreciationPercent: number;
  /** Where the depreciation came from when it is not the building's own (shown in the working). */
  source?: { th: string; en: string };
  /** Where the cost per m² came from when it is not the building's own (shown in the working). */
  costSource?: { th: string; en: string };
}

export interface UsePart {
  use: Use;
  /** Share of the property's area in this use, in percent; the parts add up to 100. */
  sharePercent: number;
  /** For residential use: the owner's main home, owning land and building, or the building only. */
  mainHome?: 'land-and-building' | 'building-only';
  /** For vacant land: full years it has been left unused in a row. */
  vacantYears?: number;
}

export interface Property {
  ownerKind: 'person' | 'juristic';
  /** The deed, named in the working when an owner's exemption is shared between parcels. */
  deed?: string;
  landAreaM2: number;
  landValuePerM2Baht: number;
  /** Where the value per m² came from when it is not the parcel's own (shown in the working). */
  landValueSource?: { th: string; en: string };
  buildings: Building[];
  uses: UsePart[];
}

const useNames: Record<Use, { th: string; en: string }> = {
  agriculture: { th: 'ประกอบเกษตรกรรม', en: 'Agriculture' },
  residential: { th: 'อยู่อาศัย', en: 'Residence' },
  other: { th: 'อื่น ๆ (พาณิชย์)', en: 'Other (commercial)' },
  vacant: { th: 'รกร้างว่างเปล่า', en: 'Vacant' },
};

/**
 * What an individual owner has left of the exemptions the Act gives once per owner, carried from one
 * of their parcels to the next while they are assessed in order (`newAllowance` for each owner):
 * s.40, the first 50 million of all their farmland in the local authority together; s.41, one main
 * home (the house where their name is in the house registration).
 */
export interface OwnerAllowance {
  agricultureLeftSatang: number;
  /** The deed of the parcel that took the main-home exemption, once one has. */
  mainHomeDeed?: string;
}

export function newAllowance(r: LandBuildingRates): OwnerAllowance {
  return { agricultureLeftSatang: r.exemptions.agricultureIndividual * 100 };
}

/**
 * The assessment of one property for one tax year, with its working line by line. `allowance` is the
 * owner's, shared by all their parcels (a fresh one when the property is assessed alone); it is
 * used up as the property takes exemptions from it.
 */
export function assessProperty(
  p: Property,
  r: LandBuildingRates,
  allowance: OwnerAllowance = newAllowance(r),
): Assessment {
  const total = p.uses.reduce((sum, u) => sum + u.sharePercent, 0);
  if (Math.abs(total - 100) > 1e-9) throw new RateError(`use shares add up to ${total}%, not 100%`);
  const landSatang = Math.round(p.landAreaM2 * p.landValuePerM2Baht * 100);
  const buildingSatang = p.buildings.reduce(
    (sum, b) => sum + Math.round(b.floorAreaM2 * b.costPerM2Baht * 100 * (1 - b.depreciationPercent / 100)),
    0,
  );
  const lines: WorkingLine[] = [
    {
      text: {
        th: `ที่ดิน ${p.landAreaM2} ตร.ม. × ${p.landValuePerM2Baht} บาท/ตร.ม.${p.landValueSource ? ` (${p.landValueSource.th})` : ''}`,
        en: `Land ${p.landAreaM2} m² × ${p.landValuePerM2Baht} baht/m²${p.landValueSource ? ` (${p.landValueSource.en})` : ''}`,
      },
      satang: landSatang,
    },
    ...p.buildings.map((b) => ({
      text: {
        th: `สิ่งปลูกสร้าง ${b.floorAreaM2} ตร.ม. × ${b.costPerM2Baht} บาท/ตร.ม.${b.costSource ? ` (${b.costSource.th})` : ''} หักค่าเสื่อม ${b.depreciationPercent}% (อายุ ${b.ageYears} ปี${b.source ? `; ${b.source.th}` : ''})`,
        en: `Building ${b.floorAreaM2} m² × ${b.costPerM2Baht} baht/m²${b.costSource ? ` (${b.costSource.en})` : ''} less ${b.depreciationPercent}% depreciation (${b.ageYears} years${b.source ? `; ${b.source.en}` : ''})`,
      },
      satang: Math.round(b.floorAreaM2 * b.costPerM2Baht * 100 * (1 - b.depreciationPercent / 100)),
    })),
  ];
  const value = landSatang + buildingSatang;
  let tax = 0;
  for (const part of p.uses) {
    const partValue = Math.round((value * part.sharePercent) / 100);
    const label = {
      th: `${useNames[part.use].th} ${part.sharePercent}%`,
      en: `${useNames[part.use].en} ${part.sharePercent}%`,
    };
    lines.push({
      text: { th: `มูลค่าส่วนที่ใช้${label.th}`, en: `Value used for ${label.en}` },
      satang: partValue,
    });
    const result = assessPart(partValue, part, p, r, label, allowance);
    tax += result.taxSatang;
    lines.push(...result.lines);
  }
  if (r.reductionPercent > 0) {
    const reduction = Math.round((tax * r.reductionPercent) / 100);
    tax -= reduction;
    lines.push({
      text: {
        th: `ลดภาษีตามพระราชกฤษฎีกา ${r.reductionPercent}%`,
        en: `Reduction decreed for ${r.year}: ${r.reductionPercent}%`,
      },
      satang: -reduction,
    });
  }
  lines.push({ text: { th: 'ภาษีที่ต้องชำระ', en: 'Tax due' }, satang: tax });
  return { taxSatang: tax, lines };
}

const deedOf = (p: Property) => p.deed ?? '—';

/**
 * An individual's farmland: the part of the owner's 50 million (s.40) still unused is taken by this
 * parcel, and the decree's bands apply to the value above it (50–125 million at the first band's
 * rate for a parcel that takes the whole exemption, and so on). The main-home tables in rates.ts are
 * written already shifted; the agriculture table is the decree's, so it is shifted here.
 */
function farmland(
  value: number,
  p: Property,
  r: LandBuildingRates,
  label: WorkingLine['text'],
  a: OwnerAllowance,
) {
  const exempt = Math.min(value, a.agricultureLeftSatang);
  a.agricultureLeftSatang -= exempt;
  const whole = baht(r.exemptions.agricultureIndividual * 100);
  const line: WorkingLine = {
    text: {
      th: `ยกเว้นที่ดินเกษตรกรรมของบุคคลธรรมดา ${whole} บาทต่อเจ้าของในเขตเทศบาล รวมทุกแปลง (มาตรา 40): ใช้กับเอกสารสิทธิ์ ${deedOf(p)} ${baht(exempt)} บาท เหลือสำหรับแปลงอื่นของเจ้าของ ${baht(a.agricultureLeftSatang)} บาท`,
      en: `Agricultural exemption for an individual, ${whole} baht per owner for all their farmland in the municipality (s.40): ${baht(exempt)} baht taken by deed ${deedOf(p)}, ${baht(a.agricultureLeftSatang)} baht left for the owner's other parcels`,
    },
    satang: exempt,
  };
  const taxed = progressive(value, r.agriculture, label, { exemptSatang: exempt, shiftSatang: exempt });
  return { taxSatang: taxed.taxSatang, lines: [line, ...taxed.lines] };
}

/** An individual's main home (s.41): the first residential use marked so takes it; any later one is taxed as another home. */
function mainHome(
  value: number,
  part: UsePart,
  p: Property,
  r: LandBuildingRates,
  label: WorkingLine['text'],
  a: OwnerAllowance,
): Assessment {
  if (a.mainHomeDeed !== undefined) {
    const line: WorkingLine = {
      text: {
        th: `บ้านหลังหลักได้รับยกเว้นได้หลังเดียวต่อเจ้าของ (มาตรา 41) และให้กับเอกสารสิทธิ์ ${a.mainHomeDeed} แล้ว: ส่วนนี้คิดภาษีอย่างบ้านหลังอื่น`,
        en: `A main home is exempt once per owner (s.41), and deed ${a.mainHomeDeed} has it: this part is taxed as another home`,
      },
      satang: 0,
    };
    const taxed = progressive(value, r.residentialOther, label);
    return { taxSatang: taxed.taxSatang, lines: [line, ...taxed.lines] };
  }
  a.mainHomeDeed = deedOf(p);
  const land = part.mainHome === 'land-and-building';
  const exempt = land ? r.exemptions.mainHomeOwnerOfLandAndBuilding : r.exemptions.mainHomeBuildingOnly;
  const line: WorkingLine = {
    text: {
      th: `บ้านหลังหลัก (มาตรา 41, ${land ? 'เป็นเจ้าของทั้งที่ดินและบ้าน' : 'เป็นเจ้าของบ้านแต่ไม่ใช่ที่ดิน'}) ยกเว้น ${baht(exempt * 100)} บาทแรก ให้ได้หลังเดียวของเจ้าของ`,
      en: `Main home (s.41, ${land ? 'land and house owned' : 'house owned, not the land'}): first ${baht(exempt * 100)} baht exempt, for one home of the owner`,
    },
    satang: 0,
  };
  const taxed = progressive(value, land ? r.residentialMainHome : r.residentialOther, label, {
    exemptSatang: exempt * 100,
  });
  return { taxSatang: taxed.taxSatang, lines: [line, ...taxed.lines] };
}

function assessPart(
  value: number,
  part: UsePart,
  p: Property,
  r: LandBuildingRates,
  label: { th: string; en: string },
  allowance: OwnerAllowance,
): Assessment {
  // Only individuals have the s.40 and s.41 exemptions; a juristic person's bands start at 0.
  const person = p.ownerKind === 'person';
  switch (part.use) {
    case 'agriculture':
      return person ? farmland(value, p, r, label, allowance) : progressive(value, r.agriculture, label);
    case 'residential':
      if (person && part.mainHome) return mainHome(value, part, p, r, label, allowance);
      return progressive(value, r.residentialOther, label);
    case 'other':
      return progressive(value, r.other, label);
    case 'vacant': {
      const extra = Math.floor((part.vacantYears ?? 0) / 3) * r.vacantSurchargePercentPer3Years;
      return progressive(value, r.vacant, label, { extraPercent: extra, capPercent: r.vacantMaxPercent });
    }
  }
}

export type SignType = 1 | 2 | 3;

export interface SignRates {
  year: number;
  /** Baht per 500 cm², by type and whether the sign moves or changes. */
  per500cm2: Record<SignType, { moving: number; static: number }>;
  minimumBaht: number;
}

export interface Sign {
  widthCm: number;
  heightCm: number;
  type: SignType;
  moving: boolean;
}

/** Quarters (Jan–Mar = 1 … Oct–Dec = 4) a sign pays for in tax year `year` (B.E.) when put up on `installedOn`. */
export function quartersDue(year: number, installedOn: string | null | undefined): number {
  if (!installedOn || Number(installedOn.slice(0, 4)) + 543 !== year) return 4;
  return 4 - Math.floor((Number(installedOn.slice(5, 7)) - 1) / 3);
}

/**
 * Signboard tax: area in units of 500 cm² (a remainder over half a unit counts as one), at least the
 * minimum. A sign put up during the tax year pays from the quarter it was put up in to the end of the
 * year, a quarter of the year's tax each; the minimum applies to the year's tax before that (tax.md).
 */
export function assessSign(sign: Sign, r: SignRates, installedOn?: string | null): Assessment {
  const area = Math.round(sign.widthCm * sign.heightCm);
  const units = Math.floor(area / 500) + (area % 500 > 250 ? 1 : 0);
  const rate = r.per500cm2[sign.type][sign.moving ? 'moving' : 'static'];
  const computed = units * rate * 100;
  const tax = Math.max(computed, r.minimumBaht * 100);
  const lines: WorkingLine[] = [
    {
      text: {
        th: `ป้ายประเภท ${sign.type} ${sign.moving ? 'เคลื่อนที่/เปลี่ยนข้อความได้' : 'ไม่เคลื่อนที่'} ขนาด ${sign.widthCm}×${sign.heightCm} ซม. = ${area} ตร.ซม. = ${units} หน่วย × ${rate} บาท`,
        en: `Sign type ${sign.type}, ${sign.moving ? 'moving/changeable' : 'static'}, ${sign.widthCm}×${sign.heightCm} cm = ${area} cm² = ${units} units × ${rate} baht`,
      },
      satang: computed,
    },
  ];
  if (tax > computed)
    lines.push({
      text: { th: `ขั้นต่ำ ${r.minimumBaht} บาทต่อป้าย`, en: `Minimum ${r.minimumBaht} baht per sign` },
      satang: tax,
    });
  const quarters = quartersDue(r.year, installedOn);
  if (quarters === 4) return { taxSatang: tax, lines };
  const prorated = Math.round((tax * quarters) / 4);
  lines.push({
    text: {
      th: `ป้ายติดตั้งใหม่เมื่อ ${installedOn} (ไตรมาสที่ ${5 - quarters}): เสียภาษี ${quarters} งวดจาก 4 งวด งวดละ 3 เดือน = ${baht(tax)} บาท × ${quarters}/4`,
      en: `New sign put up on ${installedOn} (quarter ${5 - quarters}): tax for ${quarters} of 4 three-month periods = ${baht(tax)} baht × ${quarters}/4`,
    },
    satang: prorated,
  });
  return { taxSatang: prorated, lines };
}

export interface LateRule {
  /** Percent of the tax per month (or part of a month) late, capped at the tax itself. */
  surchargePercentPerMonth: number;
  /** A one-off penalty in percent of the tax for paying after the deadline (0 for none). */
  penaltyPercent: number;
}

/** Surcharge and penalty for paying `monthsLate` months (or parts) after the due date. */
export function lateCharges(
  taxSatang: number,
  monthsLate: number,
  rule: LateRule,
): { surcharge: number; penalty: number } {
  if (monthsLate <= 0) return { surcharge: 0, penalty: 0 };
  const surcharge = Math.min(
    taxSatang,
    Math.round((taxSatang * rule.surchargePercentPerMonth * Math.ceil(monthsLate)) / 100),
  );
  return { surcharge, penalty: Math.round((taxSatang * rule.penaltyPercent) / 100) };
}
