import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor, audit } from '../../core/audit/audit.ts';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { decodePhotos } from '../../core/media/schema.ts';
import { removeImages, storeImages } from '../../core/media/store.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { assessProperty, assessSign, lateCharges } from './assessment.ts';
import { billPaymentPayload } from './promptpay.ts';
import { instalmentRule, landBuildingLate, landBuildingRates2569, signLate, signRates2569 } from './rates.ts';
import { RegisterRepository } from './register-repository.ts';
import {
  type AppraisalSource,
  type BillRow,
  type BuildingCostSource,
  type DepreciationSource,
  type InstalmentRow,
  type ParcelForAssessment,
  TaxRepository,
} from './repository.ts';
import type {
  BuildingPatchInput,
  DeclarationInput,
  OwnerInput,
  ParcelInput,
  ParcelPatchInput,
  PaymentInput,
  SignInput,
  SignPatchInput,
} from './schemas.ts';

const rateTables = new Map([[2569, { landBuilding: landBuildingRates2569, sign: signRates2569 }]]);

export interface TaxSettings {
  billerId: string;
  webhookSecret?: string;
}

export const baht = (satang: number) => (satang / 100).toFixed(2);

/** Where an assessment run spends its time, for the benchmark: database reads, computation, writes. */
export interface AssessmentTiming {
  loadMs: number;
  computeMs: number;
  writeMs: number;
}

const chunk = 2000;
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
    en: `Treasury building appraisal ${c.firstYear}–${c.lastYear}: ${c.buildingType}${code.en}`,
  };
}

/** The fields an edit changed, before and after (for the audit), or undefined when it changed none. */
function changes<T extends object>(before: T, after: T) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    b[key] = before[key];
    a[key] = after[key];
  }
  return Object.keys(a).length ? { before: b, after: a } : undefined;
}

/** The given fields of a patch over the current ones (undefined keeps, null clears). */
function merged<T extends object>(current: T, patch: Partial<T>): T {
  const out = { ...current };
  for (const key of Object.keys(current) as (keyof T)[])
    if (patch[key] !== undefined) out[key] = patch[key] as T[keyof T];
  return out;
}

function stale(version: number) {
  return AppError.conflict(
    'tax.edit_stale',
    `changed by someone else since it was read: now at version ${version}; open it again`,
  );
}

/** Rules of local taxes: the register, assessment runs, bills and bank reconciliation. */
export class TaxService {
  readonly repo: TaxRepository;
  readonly register: RegisterRepository;
  private readonly org: OrgRepository;

  constructor(
    private readonly db: Db,
    private readonly settings: TaxSettings,
  ) {
    this.repo = new TaxRepository(db);
    this.register = new RegisterRepository(db);
    this.org = new OrgRepository(db);
  }

  createOwner(input: OwnerInput, actor: Actor) {
    if (!isValidThaiNationalId(input.taxId))
      throw AppError.badRequest('tax.tax_id_invalid', undefined, [
        { path: '/taxId', message: 'check digit' },
      ]);
    return this.db.transaction(async (tx) => {
      if (await this.repo.ownerIdByTaxId(input.taxId, tx))
        throw AppError.conflict('resource.conflict', 'an owner with this ID exists');
      const id = await this.repo.insertOwner(tx, input);
      await audit(tx, actor, { action: 'tax.owner.create', resourceType: 'tax.owner', resourceId: id });
      return { id };
    });
  }

  async createParcel(input: ParcelInput, actor: Actor) {
    const share = input.uses.reduce((sum, u) => sum + u.sharePercent, 0);
    if (Math.abs(share - 100) > 1e-9)
      throw AppError.badRequest('tax.use_shares', `use shares add up to ${share}%`, [
        { path: '/uses', message: 'must add up to 100' },
      ]);
    const areaM2 = input.area.rai * 1600 + input.area.ngan * 400 + input.area.wa * 4;
    const place = input.location ? await this.org.locate(input.location.lon, input.location.lat) : null;
    return this.db.transaction(async (tx) => {
      const id = await this.repo.insertParcel(tx, {
        ...input,
        areaM2,
        valuePerM2: input.valuePerM2Baht ?? null,
        zoneCode: place?.zone.code ?? null,
      });
      for (const b of input.buildings ?? []) await this.repo.insertBuilding(tx, id, b);
      await audit(tx, actor, { action: 'tax.parcel.create', resourceType: 'tax.parcel', resourceId: id });
      return { id, areaM2, zone: place?.zone.code ?? null };
    });
  }

  /** An owner's id from a checked tax ID; an edit links to an owner already in the register. */
  private async ownerFor(on: Executor, taxId: string) {
    if (!isValidThaiNationalId(taxId))
      throw AppError.badRequest('tax.tax_id_invalid', undefined, [
        { path: '/ownerTaxId', message: 'check digit' },
      ]);
    const id = await this.repo.ownerIdByTaxId(taxId, on);
    if (!id)
      throw AppError.badRequest('tax.owner_unknown', 'no owner with this ID in the register', [
        { path: '/ownerTaxId', message: 'not in the register' },
      ]);
    return id;
  }

  /**
   * Staff correct a parcel. The edit names the version it was made from; if the parcel changed since,
   * it is refused (409) rather than overwriting the newer values. Audited with the fields before and after.
   */
  editParcel(id: string, patch: ParcelPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = await this.register.parcelForEdit(tx, id);
      if (!current) throw AppError.notFound();
      if (current.version !== patch.version) throw stale(current.version);
      const { version, ...before } = current;
      const areaM2 = patch.area
        ? patch.area.rai * 1600 + patch.area.ngan * 400 + patch.area.wa * 4
        : undefined;
      const after = merged(before, { ...patch, areaM2 });
      if (areaM2 !== undefined && areaM2 <= 0)
        throw AppError.badRequest('request.invalid', 'the area must be more than 0', [
          { path: '/area', message: 'more than 0' },
        ]);
      const share = after.uses.reduce((sum, u) => sum + u.sharePercent, 0);
      if (Math.abs(share - 100) > 1e-9)
        throw AppError.badRequest('tax.use_shares', `use shares add up to ${share}%`, [
          { path: '/uses', message: 'must add up to 100' },
        ]);
      const wrongHome = after.uses.findIndex((u) => u.mainHome && u.use !== 'residential');
      if (wrongHome >= 0)
        throw AppError.badRequest('request.invalid', 'a main home is only for residential use', [
          { path: `/uses/${wrongHome}/mainHome`, message: 'only for residential use' },
        ]);
      if (after.appraisalBlock !== null && after.appraisalZone === null)
        throw AppError.badRequest('request.invalid', 'an appraisal block needs its zone', [
          { path: '/appraisalZone', message: 'needed with appraisalBlock' },
        ]);
      const ownerId = await this.ownerFor(tx, after.ownerTaxId);
      const diff = changes(before, after);
      if (!diff) return { id, version };
      const next = await this.register.updateParcel(tx, id, version, { ...after, ownerId });
      if (next === undefined) throw stale(version);
      await audit(tx, actor, {
        action: 'tax.parcel.update',
        resourceType: 'tax.parcel',
        resourceId: id,
        detail: { ...diff, version: next },
      });
      return { id, version: next };
    });
  }

  /** Staff correct a building (same versioning and audit as a parcel); its number stays unique on the parcel. */
  editBuilding(id: string, patch: BuildingPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = await this.register.buildingForEdit(tx, id);
      if (!current) throw AppError.notFound();
      if (current.version !== patch.version) throw stale(current.version);
      const { version, parcelId, ...before } = current;
      const after = merged(before, patch);
      if (after.buildingNo !== null && after.buildingNo !== before.buildingNo) {
        const other = await this.repo.buildingIdByNo(parcelId, after.buildingNo, tx);
        if (other && other !== id)
          throw AppError.conflict('tax.building_no_taken', 'another building on this parcel has this number');
      }
      const diff = changes(before, after);
      if (!diff) return { id, version };
      const next = await this.register.updateBuilding(tx, id, version, after);
      if (next === undefined) throw stale(version);
      await audit(tx, actor, {
        action: 'tax.building.update',
        resourceType: 'tax.building',
        resourceId: id,
        detail: { ...diff, parcelId, version: next },
      });
      return { id, version: next };
    });
  }

  editSign(id: string, patch: SignPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = await this.register.signForEdit(tx, id);
      if (!current) throw AppError.notFound();
      if (current.version !== patch.version) throw stale(current.version);
      const { version, ...before } = current;
      const after = merged(before, patch);
      const ownerId = await this.ownerFor(tx, after.ownerTaxId);
      const diff = changes(before, after);
      if (!diff) return { id, version };
      const next = await this.register.updateSign(tx, id, version, { ...after, ownerId });
      if (next === undefined) throw stale(version);
      await audit(tx, actor, {
        action: 'tax.sign.update',
        resourceType: 'tax.sign',
        resourceId: id,
        detail: { ...diff, version: next },
      });
      return { id, version: next };
    });
  }

  createSign(input: SignInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const id = await this.repo.insertSign(tx, input);
      await audit(tx, actor, { action: 'tax.sign.create', resourceType: 'tax.sign', resourceId: id });
      return { id };
    });
  }

  /**
   * ภ.ป.1: a citizen declares a signboard with photos. The owner record is theirs, matched by national
   * ID (made from their account when the register has none); the sign waits for an officer.
   */
  async declareSign(
    input: DeclarationInput,
    who: { userId: string; nationalId: string | null; displayName: string },
    uploadsDir: string,
    actor: Actor,
  ) {
    if (!who.nationalId) throw AppError.badRequest('tax.national_id_required');
    const nationalId = who.nationalId;
    const photos = (await storeImages(uploadsDir, decodePhotos(input.photos))).map((s) => s.name);
    // Photos first, so the row never names a file that is not there; gone again if the row is not.
    return this.db
      .transaction(async (tx) => {
        const ownerId =
          (await this.repo.ownerIdByTaxId(nationalId, tx)) ??
          (await this.repo.insertOwner(tx, { kind: 'person', taxId: nationalId, name: who.displayName }));
        const id = await this.repo.insertDeclaredSign(tx, {
          ...input,
          ownerId,
          declaredBy: who.userId,
          photos,
        });
        await audit(tx, actor, {
          action: 'tax.sign.declare',
          resourceType: 'tax.sign',
          resourceId: id,
          detail: { photos: photos.length },
        });
        return { id, status: 'declared' as const };
      })
      .catch(async (e) => {
        await removeImages(uploadsDir, photos);
        throw e;
      });
  }

  acceptDeclaration(id: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      if (!(await this.repo.acceptDeclaration(tx, id, actor.id))) throw AppError.notFound();
      await audit(tx, actor, { action: 'tax.sign.accept', resourceType: 'tax.sign', resourceId: id });
      return { id, status: 'registered' as const };
    });
  }

  /** Refuses a declared sign, with the reason the citizen will see. */
  rejectDeclaration(id: string, reason: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      if (!(await this.repo.rejectDeclaration(tx, id, reason, actor.id))) throw AppError.notFound();
      await audit(tx, actor, { action: 'tax.sign.reject', resourceType: 'tax.sign', resourceId: id });
      return { id, status: 'rejected' as const };
    });
  }

  /**
   * Assesses every parcel and sign for the year and issues the bills that do not exist yet, in one
   * transaction (all or nothing), a page of the register at a time so memory stays flat.
   */
  async runAssessment(year: number, actor: Actor, timing?: AssessmentTiming) {
    const rates = rateTables.get(year);
    if (!rates) throw AppError.notFound('tax.rates_missing', `no rate table for ${year}`);
    const due = `${year - 543}-04-30`;
    const clock = timing ?? { loadMs: 0, computeMs: 0, writeMs: 0 };
    const timed = async <T>(part: keyof AssessmentTiming, fn: () => Promise<T> | T): Promise<T> => {
      const t = performance.now();
      try {
        return await fn();
      } finally {
        clock[part] += performance.now() - t;
      }
    };
    const lines = (a: { lines: { text: { th: string; en: string }; satang: number }[] }) =>
      a.lines.map((l) => ({ ...l.text, satang: l.satang }));
    const counts = { parcels: 0, signs: 0, issued: 0, unvalued: 0 };
    const unvalued: { parcelId: string; reason: string }[] = [];
    await this.db.transaction(async (tx) => {
      for (let after = noId; ; ) {
        const page = await timed('loadMs', () => this.repo.parcelsForAssessment(year, after, chunk, tx));
        if (page.length === 0) break;
        const bills = await timed('computeMs', () =>
          page.flatMap((p) => {
            const missing = unvaluedReason(p);
            if (missing) {
              counts.unvalued++;
              if (unvalued.length < 100) unvalued.push({ parcelId: p.id, reason: missing });
              return [];
            }
            const a = assessProperty(
              {
                ownerKind: p.ownerKind,
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
            );
            return [{ ownerId: p.ownerId, subjectId: p.id, amountSatang: a.taxSatang, working: lines(a) }];
          }),
        );
        counts.issued += await timed('writeMs', () =>
          this.repo.insertBills(tx, { year, kind: 'land-building', prefix: 'LB', dueDate: due }, bills),
        );
        counts.parcels += page.length;
        after = page[page.length - 1].id;
      }
      for (let after = noId; ; ) {
        const page = await timed('loadMs', () => this.repo.signsForAssessment(after, chunk, tx));
        if (page.length === 0) break;
        const bills = await timed('computeMs', () =>
          page.map((s) => {
            const a = assessSign(s, rates.sign);
            return { ownerId: s.ownerId, subjectId: s.id, amountSatang: a.taxSatang, working: lines(a) };
          }),
        );
        counts.issued += await timed('writeMs', () =>
          this.repo.insertBills(tx, { year, kind: 'sign', prefix: 'SG', dueDate: due }, bills),
        );
        counts.signs += page.length;
        after = page[page.length - 1].id;
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

  /** A bill as its owner or staff sees it, with the PromptPay payload to pay it. */
  view(bill: BillRow, instalments: InstalmentRow[] = []) {
    const promptpay =
      bill.amountSatang > 0
        ? billPaymentPayload({
            billerId: this.settings.billerId,
            ref1: bill.number,
            ref2: `${bill.taxYear}${bill.taxKind === 'sign' ? 'SG' : 'LB'}`,
            amount: bill.amountSatang / 100,
          })
        : '';
    return {
      id: bill.id,
      number: bill.number,
      taxYear: bill.taxYear,
      taxKind: bill.taxKind,
      ownerName: bill.ownerName,
      amountSatang: bill.amountSatang,
      amountBaht: baht(bill.amountSatang),
      status: bill.status,
      dueDate: bill.dueDate,
      paidAt: bill.paidAt ? new Date(bill.paidAt).toISOString() : null,
      working: bill.working,
      promptpay,
      instalments: instalments.map((i) => ({
        seq: i.seq,
        number: i.number,
        amountBaht: baht(i.amountSatang),
        dueDate: i.dueDate,
        status: i.status,
        promptpay: billPaymentPayload({
          billerId: this.settings.billerId,
          ref1: i.number,
          ref2: `${bill.taxYear}LB${i.seq}`,
          amount: i.amountSatang / 100,
        }),
      })),
    };
  }

  /**
   * Splits an open land and building tax bill into monthly instalments when the rule allows it
   * (the first takes any odd satang); each instalment then has its own number and Thai QR.
   */
  planInstalments(bill: BillRow, actor: Actor) {
    if (
      bill.taxKind !== 'land-building' ||
      bill.status !== 'open' ||
      bill.amountSatang < instalmentRule.minimumBaht * 100
    ) {
      throw AppError.conflict('tax.instalments_not_allowed');
    }
    return this.db.transaction(async (tx) => {
      if ((await this.repo.instalments(bill.id, tx)).length) throw AppError.conflict('tax.instalments_exist');
      const n = instalmentRule.count;
      const each = Math.floor(bill.amountSatang / n);
      const [y, m] = bill.dueDate.split('-').map(Number);
      for (let seq = 1; seq <= n; seq++) {
        const lastDay = new Date(Date.UTC(y, m - 1 + seq, 0));
        await this.repo.insertInstalment(tx, {
          billId: bill.id,
          seq,
          number: `${bill.number}I${seq}`,
          amountSatang: seq === 1 ? bill.amountSatang - each * (n - 1) : each,
          dueDate: lastDay.toISOString().slice(0, 10),
        });
      }
      await audit(tx, actor, {
        action: 'tax.instalments.plan',
        resourceType: 'tax.bill',
        resourceId: bill.id,
        detail: { count: n },
      });
      return this.repo.instalments(bill.id, tx);
    });
  }

  /** Checks the bank's signature over `timestamp.body` and that the call is fresh (5 minutes). */
  verifyWebhook(
    rawBody: string,
    timestamp: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ) {
    if (!this.settings.webhookSecret) throw new AppError(503, 'tax.webhook_disabled');
    const t = Number(timestamp);
    if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300) throw new AppError(401, 'tax.webhook_stale');
    const expected = createHmac('sha256', this.settings.webhookSecret).update(`${t}.${rawBody}`).digest();
    const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature ?? '') ? signature! : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError(401, 'tax.webhook_signature');
  }

  /**
   * Records a payment exactly once per bank transaction and pays what it matches: a whole bill, or one
   * of its instalments (the bill is paid with its last instalment).
   */
  recordPayment(p: PaymentInput, source: 'webhook' | 'statement', actor: Actor) {
    const amountSatang = Math.round(Number(p.amount) * 100);
    return this.db.transaction(async (tx) => {
      const instalment = /I[0-9]+$/.test(p.billNumber)
        ? await this.repo.instalmentByNumberForUpdate(tx, p.billNumber)
        : undefined;
      const bill = instalment
        ? await this.repo.bill(instalment.billId, tx)
        : await this.repo.billByNumberForUpdate(tx, p.billNumber);
      const expected = instalment ? instalment.amountSatang : bill?.amountSatang;
      let status: string;
      if (!bill) status = 'unknown_bill';
      else if (bill.status !== 'open' || instalment?.status === 'paid') status = 'already_paid';
      else if (expected !== amountSatang) status = 'amount_mismatch';
      else status = 'matched';
      const result = await this.repo.insertPayment(tx, {
        txnId: p.transactionId,
        billNumber: p.billNumber,
        billId: instalment ? null : (bill?.id ?? null),
        amountSatang,
        paidAt: p.paidAt,
        source,
        status,
      });
      if (!result.inserted) return { status: result.status, duplicate: true };
      if (status === 'matched' && bill) {
        const plan = await this.repo.instalments(bill.id, tx);
        const settled = instalment ? [instalment.id] : plan.map((i) => i.id);
        await this.repo.markInstalmentsPaid(tx, settled, p.paidAt);
        if (!instalment || plan.every((i) => i.status === 'paid' || i.id === instalment.id))
          await this.repo.markPaid(tx, bill.id, p.paidAt);
      }
      await audit(tx, actor, {
        action: 'tax.payment.record',
        resourceType: 'tax.payment',
        resourceId: p.transactionId,
        detail: { status, billNumber: p.billNumber },
      });
      return { status, duplicate: false };
    });
  }

  /** Arrears as of a day, each with the surcharge and penalty the law adds by then. */
  async arrears(asOf: string) {
    const bills = await this.repo.arrears(asOf, 1000);
    const day = new Date(`${asOf}T00:00:00+07:00`);
    return bills.map((b) => {
      const due = new Date(`${b.dueDate}T00:00:00+07:00`);
      const monthsLate =
        (day.getFullYear() - due.getFullYear()) * 12 +
        (day.getMonth() - due.getMonth()) +
        (day.getDate() > due.getDate() ? 1 : 0);
      const charges = lateCharges(
        b.amountSatang,
        monthsLate,
        b.taxKind === 'sign' ? signLate : landBuildingLate,
      );
      return {
        id: b.id,
        number: b.number,
        taxYear: b.taxYear,
        taxKind: b.taxKind,
        ownerName: b.ownerName,
        dueDate: b.dueDate,
        monthsLate,
        amountSatang: b.amountSatang,
        surchargeSatang: charges.surcharge,
        penaltySatang: charges.penalty,
        totalSatang: b.amountSatang + charges.surcharge + charges.penalty,
      };
    });
  }

  async report(year: number) {
    const rows = await this.repo.report(year);
    const billed = rows.reduce((s, r) => s + r.billedSatang, 0);
    const collected = rows.reduce((s, r) => s + r.collectedSatang, 0);
    return {
      year,
      billedSatang: billed,
      collectedSatang: collected,
      outstandingSatang: billed - collected,
      collectionRate: billed ? Math.round((collected / billed) * 10000) / 10000 : null,
      rows: rows.map((r) => ({ ...r, outstandingSatang: r.billedSatang - r.collectedSatang })),
    };
  }
}
