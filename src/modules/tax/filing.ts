import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import {
  type Assessment,
  assessSign,
  baht,
  type Sign,
  type SignRates,
  type WorkingLine,
} from './assessment.ts';
import type { SignLateRule } from './rate-rules.ts';

/**
 * Signboard Tax Act B.E. 2510 s.25: surcharges for the ภ.ป.1 itself (not for paying late, late.ts).
 * (1) not filed in time: a percentage of the tax, a smaller one when the owner files before staff
 * tell them of the omission; (2) an understated declaration: a percentage of the tax assessed in
 * addition. Both belong to the bill of the tax year the filing was for, as lines of its working.
 */
export interface SignFiling {
  /** The Bangkok day the ภ.ป.1 was filed (declared signs), else null. */
  declaredOn: string | null;
  /** The day the sign was put up, as the ภ.ป.1 says, else null. */
  installedOn: string | null;
  /** Size, type and moving as declared, else null (signs staff registered). */
  declared: Sign | null;
  /** The tax year (B.E.) staff found the sign never declared for, else null. */
  unfiledYear: number | null;
}

const thMonths = [
  'ม.ค.',
  'ก.พ.',
  'มี.ค.',
  'เม.ย.',
  'พ.ค.',
  'มิ.ย.',
  'ก.ค.',
  'ส.ค.',
  'ก.ย.',
  'ต.ค.',
  'พ.ย.',
  'ธ.ค.',
];
const thDay = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${day} ${thMonths[m - 1]} ${y + 543}`;
};

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** The tax year (B.E.) a Bangkok day falls in. */
export const taxYearOf = (day: string) => Number(day.slice(0, 4)) + 543;

/**
 * The last day to file for `year` (B.E.): the end of March, or 15 days after a sign was put up that
 * year, when that is later (s.8: a new sign is declared within 15 days of putting it up).
 */
export function filingDeadline(year: number, installedOn: string | null): string {
  const march = `${year - 543}-03-31`;
  if (!installedOn || taxYearOf(installedOn) !== year) return march;
  const fifteen = addDays(installedOn, 15);
  return fifteen > march ? fifteen : march;
}

/** The sign's assessment for `year` with the s.25 surcharges added as lines and to the tax. */
export function withFilingSurcharges(
  year: number,
  a: Assessment,
  sign: SignFiling,
  rates: SignRates,
  rule: SignLateRule,
): Assessment {
  const tax = a.taxSatang;
  const lines: WorkingLine[] = [...a.lines];
  let extra = 0;
  const add = (satang: number, th: string, en: string) => {
    if (satang <= 0) return;
    extra += satang;
    lines.push({ text: { th, en }, satang });
  };
  const pct = (base: number, percent: number) => Math.round((base * percent) / 100);
  if (sign.unfiledYear === year) {
    const p = rule.lateFilingPercent;
    add(
      pct(tax, p),
      `เงินเพิ่ม: ไม่ยื่นแบบ ภ.ป.1 ภายในกำหนด (เจ้าหน้าที่ตรวจพบ) ร้อยละ ${p} ของภาษี ${baht(tax)} บาท (พ.ร.บ.ภาษีป้าย มาตรา 25(1))`,
      `Surcharge: ภ.ป.1 not filed in time (found by staff), ${p}% of the tax of ${baht(tax)} baht (Signboard Tax Act s.25(1))`,
    );
  } else if (sign.declaredOn && taxYearOf(sign.declaredOn) === year) {
    const deadline = filingDeadline(year, sign.installedOn);
    if (sign.declaredOn > deadline) {
      const p = rule.lateFilingBeforeNoticePercent;
      add(
        pct(tax, p),
        `เงินเพิ่ม: ยื่นแบบ ภ.ป.1 เมื่อ ${thDay(sign.declaredOn)} เกินกำหนด ${thDay(deadline)} ก่อนได้รับแจ้ง ร้อยละ ${p} ของภาษี ${baht(tax)} บาท (พ.ร.บ.ภาษีป้าย มาตรา 25(1))`,
        `Surcharge: ภ.ป.1 filed on ${sign.declaredOn}, after the deadline of ${deadline}, before being told, ${p}% of the tax of ${baht(tax)} baht (Signboard Tax Act s.25(1))`,
      );
    }
  }
  if (sign.declared && sign.declaredOn && taxYearOf(sign.declaredOn) === year) {
    const declaredTax = assessSign(sign.declared, rates, sign.installedOn).taxSatang;
    const more = tax - declaredTax;
    const p = rule.understatementPercent;
    add(
      pct(more, p),
      `เงินเพิ่ม: แบบ ภ.ป.1 แสดงป้ายประเภท ${sign.declared.type} ขนาด ${sign.declared.widthCm}×${sign.declared.heightCm} ซม. ภาษี ${baht(declaredTax)} บาท ต่ำกว่าที่ประเมิน ${baht(more)} บาท ร้อยละ ${p} ของส่วนที่ประเมินเพิ่ม (พ.ร.บ.ภาษีป้าย มาตรา 25(2))`,
      `Surcharge: the ภ.ป.1 declared a type ${sign.declared.type} sign of ${sign.declared.widthCm}×${sign.declared.heightCm} cm, tax ${baht(declaredTax)} baht, ${baht(more)} baht below the assessment; ${p}% of the tax assessed in addition (Signboard Tax Act s.25(2))`,
    );
  }
  if (extra === 0) return a;
  lines.push({
    text: { th: 'ภาษีป้ายรวมเงินเพิ่ม', en: 'Signboard tax with surcharges' },
    satang: tax + extra,
  });
  return { taxSatang: tax + extra, lines };
}

registerMessages({
  'tax.installed_on_invalid': {
    th: 'วันที่ติดตั้งป้ายต้องเป็นวันที่จริง ไม่เกินวันนี้ และไม่ก่อน พ.ศ. 2511',
    en: 'the day the sign was put up must be a real day, not after today nor before 1968',
  },
});

/** Refuses (400 beside `/installedOn`) a day that does not exist, is in the future (Bangkok) or before the Act. */
export function checkInstalledOn(day: string | undefined, today: string) {
  if (day === undefined) return;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day || day > today || day < '1968-01-01')
    throw AppError.badRequest('request.invalid', msg('tax.installed_on_invalid'), [
      { path: '/installedOn', message: msg('tax.installed_on_invalid') },
    ]);
}
