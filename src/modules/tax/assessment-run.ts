import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { assessProperty, assessSign, newAllowance, type OwnerAllowance } from './assessment.ts';
import { withFilingSurcharges } from './filing.ts';
import type { SignLateRule } from './rate-rules.ts';
import { lateRulesFor, ratesFor } from './rate-years.ts';
import type {
  AppraisalSource,
  BuildingCostSource,
  DepreciationSource,
  ParcelForAssessment,
  ParcelKey,
  TaxRepository,
} from './repository.ts';
import { BillBatch, billRecord, registerStart } from './repository.ts';

/** Where an assessment run spends its time, for the benchmark: database reads, computation, writes. */
export interface AssessmentTiming {
  loadMs: number;
  computeMs: number;
  writeMs: number;
  /** Called after each page is written (the benchmark samples memory there: PGlite's queries keep
   * the event loop busy, so timers do not fire during a run). */
  onPage?: () => void;
  /** Records a page (the benchmark compares sizes). */
  pageSize?: number;
}

const defaultPage = 2000;
const noId = '00000000-0000-0000-0000-000000000000';

/** Why a parcel cannot be valued for the year, or undefined when it can. */
function unvaluedReason(p: ParcelForAssessment): string | undefined {
  if (p.valuePerM2 === null) return 'no value per m² of its own and no appraisal row for its deed or zone';
  const b = p.buildings.find((x) => x.depreciationPercent === null);
  if (b) return `building "${b.kind}" aged ${b.ageYears}: no depreciation of its own and no table row`;
  const c = p.buildings.find((x) => x.costPerM2Baht === null);
  if (c) return `building "${c.kind}": no cost per m² of its own and no building appraisal row for its kind`;
  return undefined;
}

/** The working line's note for a value taken from the imported appraisal. */
function appraisalNote(a: AppraisalSource) {
  const round = `${a.firstYear}–${a.lastYear}`;
  if (a.deedNo)
    return {
      th: `ราคาประเมินทุนทรัพย์ของกรมธนารักษ์ รอบ ${round} รายแปลง ${a.deedKind} ${a.deedNo}`,
      en: `Treasury appraisal ${round}, parcel ${a.deedKind} ${a.deedNo}`,
    };
  const block = a.block ? { th: ` บล็อก ${a.block}`, en: `, block ${a.block}` } : { th: '', en: '' };
  return {
    th: `ราคาประเมินทุนทรัพย์ของกรมธนารักษ์ รอบ ${round} โซน ${a.zone}${block.th}`,
    en: `Treasury appraisal ${round}, zone ${a.zone}${block.en}`,
  };
}

function depreciationNote(d: DepreciationSource) {
  return {
    th: `ตารางค่าเสื่อม: ${d.buildingType} อายุตั้งแต่ ${d.ageFrom} ปี`,
    en: `depreciation table: ${d.buildingType}, from ${d.ageFrom} years`,
  };
}

function buildingCostNote(c: BuildingCostSource) {
  const code = c.code ? { th: ` รหัส ${c.code}`, en: `, code ${c.code}` } : { th: '', en: '' };
  return {
    th: `ราคาประเมินสิ่งปลูกสร้างของกรมธนารักษ์ รอบ ${c.firstYear}–${c.lastYear}: ${c.buildingType}${code.th}`,
    en: `Treasury building appraisal ${c.firstYear}–${c.lastYear}: ${c.buildingTypeEn ?? c.buildingType}${code.en}`,
  };
}

/**
 * Assesses every parcel and sign for the year and issues the bills that do not exist yet, in one
 * transaction (all or nothing), a page of the register at a time so memory stays flat.
 */
export async function runAssessment(
  db: Db,
  repo: TaxRepository,
  year: number,
  actor: Actor,
  timing?: AssessmentTiming,
) {
  const due = `${year - 543}-04-30`;
  const clock = timing ?? { loadMs: 0, computeMs: 0, writeMs: 0 };
  const chunk = clock.pageSize ?? defaultPage;
  const timed = async <T>(part: 'loadMs' | 'computeMs' | 'writeMs', fn: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      clock[part] += performance.now() - t;
    }
  };
  const counts = { parcels: 0, signs: 0, issued: 0, unvalued: 0 };
  const unvalued: { parcelId: string; reason: string }[] = [];
  // A page is read, assessed into one JSON array in UTF-8 (`BillBatch`, bill by bill, so each bill's
  // objects are garbage before the next one and V8 collects them young) and let go before it is
  // written: only those bytes, outside the JS heap, live through the write. The old generation's
  // garbage sets the peak RSS on PGlite (docs/benchmarks.md, issue 7).
  const batch = new BillBatch();
  type Rates = NonNullable<Awaited<ReturnType<typeof ratesFor>>>;
  // The register comes in (owner, parcel) order, so an owner's parcels follow one another; what the
  // owner has left of the once-per-owner exemptions is carried from parcel to parcel, across page
  // boundaries too, and starts afresh with the next owner. The page size cannot change a bill.
  let owner: { id: string; allowance: OwnerAllowance } | undefined;
  const assessParcels = async (on: Executor, rates: Rates, after: ParcelKey) => {
    const page = await timed('loadMs', () => repo.parcelsForAssessment(year, after, chunk, on));
    const t = performance.now();
    for (const p of page) {
      if (owner?.id !== p.ownerId) owner = { id: p.ownerId, allowance: newAllowance(rates.landBuilding) };
      const missing = unvaluedReason(p);
      if (missing) {
        counts.unvalued++;
        if (unvalued.length < 100) unvalued.push({ parcelId: p.id, reason: missing });
        continue;
      }
      const a = assessProperty(
        {
          ownerKind: p.ownerKind,
          deed: `${p.deedKind} ${p.deedNo}`,
          landAreaM2: p.areaM2,
          landValuePerM2Baht: p.valuePerM2!,
          landValueSource: p.appraisal ? appraisalNote(p.appraisal) : undefined,
          buildings: p.buildings.map((b) => ({
            ...b,
            costPerM2Baht: b.costPerM2Baht!,
            costSource: b.cost ? buildingCostNote(b.cost) : undefined,
            depreciationPercent: b.depreciationPercent!,
            source: b.depreciation ? depreciationNote(b.depreciation) : undefined,
          })),
          uses: p.uses,
        },
        rates.landBuilding,
        owner.allowance,
      );
      batch.add(billRecord(p.ownerId, p.id, a.taxSatang, a.lines));
    }
    const bills = { count: batch.count, json: batch.take() };
    clock.computeMs += performance.now() - t;
    const last = page.at(-1);
    return { bills, read: page.length, last: last && { ownerId: last.ownerId, id: last.id } };
  };
  const assessSigns = async (on: Executor, rates: Rates, signLate: SignLateRule, after: string) => {
    const page = await timed('loadMs', () => repo.signsForAssessment(after, chunk, on));
    const t = performance.now();
    for (const s of page) {
      const a = withFilingSurcharges(year, assessSign(s, rates.sign, s.installedOn), s, rates.sign, signLate);
      batch.add(billRecord(s.ownerId, s.id, a.taxSatang, a.lines));
    }
    const bills = { count: batch.count, json: batch.take() };
    clock.computeMs += performance.now() - t;
    return { bills, read: page.length, last: page.at(-1)?.id };
  };
  await db.transaction(async (tx) => {
    // Read in the run's transaction and held there (FOR SHARE), so an edit waits until the bills are
    // written and then finds the year frozen (rate-years.ts).
    const rates = await timed('loadMs', () => ratesFor(tx, year));
    if (!rates) throw AppError.notFound('tax.rates_missing', msg('tax.no_rates_for_year', { year }));
    // The same record, already held: its s.25 percentages for the ภ.ป.1 surcharges (filing.ts).
    const signLate = (await lateRulesFor(tx, year))!.sign;
    for (let after = registerStart; ; ) {
      const page = await assessParcels(tx, rates, after);
      if (page.last === undefined) break;
      counts.issued += await timed('writeMs', () =>
        page.bills.count === 0
          ? 0
          : repo.insertBills(
              tx,
              { year, kind: 'land-building', prefix: 'LB', dueDate: due },
              page.bills.json,
            ),
      );
      counts.parcels += page.read;
      after = page.last;
      clock.onPage?.();
    }
    for (let after = noId; ; ) {
      const page = await assessSigns(tx, rates, signLate, after);
      if (page.last === undefined) break;
      counts.issued += await timed('writeMs', () =>
        repo.insertBills(tx, { year, kind: 'sign', prefix: 'SG', dueDate: due }, page.bills.json),
      );
      counts.signs += page.read;
      after = page.last;
      clock.onPage?.();
    }
    await audit(tx, actor, {
      action: 'tax.assessment.run',
      resourceType: 'tax.assessment',
      resourceId: String(year),
      detail: { issued: counts.issued, unvalued: counts.unvalued },
    });
  });
  return {
    year,
    parcels: counts.parcels,
    signs: counts.signs,
    billsIssued: counts.issued,
    // Parcels that got no bill because neither they nor the imported tables give a value (first 100).
    unvalued: counts.unvalued,
    unvaluedParcels: unvalued,
  };
}
