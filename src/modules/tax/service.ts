import { type Actor, audit } from '../../core/audit/audit.ts';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { decodePhotos } from '../../core/media/schema.ts';
import { removeImages, storeImages } from '../../core/media/store.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { lateCharges } from './assessment.ts';
import { type AssessmentTiming, runAssessment } from './assessment-run.ts';
import { checkOneMainHome } from './main-home.ts';
import { Payments } from './payments.ts';
import { billPaymentPayload } from './promptpay.ts';
import { instalmentRule, landBuildingLate, signLate } from './rates.ts';
import { checkUses, RegisterEditor } from './register-edits.ts';
import { RegisterRepository } from './register-repository.ts';
import { type BillRow, type InstalmentRow, TaxRepository } from './repository.ts';
import type {
  BuildingPatchInput,
  DeclarationInput,
  OwnerInput,
  OwnerPatchInput,
  ParcelInput,
  ParcelPatchInput,
  PaymentInput,
  SignInput,
  SignPatchInput,
} from './schemas.ts';

export type { AssessmentTiming } from './assessment-run.ts';

export interface TaxSettings {
  billerId: string;
  webhookSecret?: string;
}

export const baht = (satang: number) => (satang / 100).toFixed(2);

/** Rules of local taxes: the register, assessment runs, bills and bank reconciliation. */
export class TaxService {
  readonly repo: TaxRepository;
  readonly register: RegisterRepository;
  private readonly org: OrgRepository;
  private readonly editor: RegisterEditor;
  private readonly payments: Payments;

  constructor(
    private readonly db: Db,
    private readonly settings: TaxSettings,
  ) {
    this.repo = new TaxRepository(db);
    this.register = new RegisterRepository(db);
    this.org = new OrgRepository(db);
    this.editor = new RegisterEditor(db, this.repo, this.register);
    this.payments = new Payments(db, this.repo, settings.webhookSecret);
  }

  createOwner(input: OwnerInput, actor: Actor) {
    if (!isValidThaiNationalId(input.taxId))
      throw AppError.badRequest('tax.tax_id_invalid', undefined, [
        { path: '/taxId', message: msg('field.check_digit') },
      ]);
    return this.db.transaction(async (tx) => {
      if (await this.repo.ownerIdByTaxId(input.taxId, tx))
        throw new AppError(409, 'resource.conflict', msg('tax.owner_exists'), [
          { path: '/taxId', message: msg('tax.owner_exists') },
        ]);
      const id = await this.repo.insertOwner(tx, input);
      await audit(tx, actor, { action: 'tax.owner.create', resourceType: 'tax.owner', resourceId: id });
      return { id };
    });
  }

  async createParcel(input: ParcelInput, actor: Actor) {
    checkUses(input.uses);
    const areaM2 = input.area.rai * 1600 + input.area.ngan * 400 + input.area.wa * 4;
    const place = input.location ? await this.org.locate(input.location.lon, input.location.lat) : null;
    return this.db.transaction(async (tx) => {
      await checkOneMainHome(this.db, tx, input.ownerId, input.uses, null);
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

  /** Staff correct a parcel (register-edits.ts); a stale version is refused with 409, edits are audited. */
  editParcel(id: string, patch: ParcelPatchInput, actor: Actor) {
    return this.editor.editParcel(id, patch, actor);
  }

  editBuilding(id: string, patch: BuildingPatchInput, actor: Actor) {
    return this.editor.editBuilding(id, patch, actor);
  }

  editSign(id: string, patch: SignPatchInput, actor: Actor) {
    return this.editor.editSign(id, patch, actor);
  }

  editOwner(id: string, patch: OwnerPatchInput, actor: Actor) {
    return this.editor.editOwner(id, patch, actor);
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
   * transaction (all or nothing), a page of the register at a time (assessment-run.ts).
   */
  runAssessment(year: number, actor: Actor, timing?: AssessmentTiming) {
    return runAssessment(this.db, this.repo, year, actor, timing);
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

  verifyWebhook(
    rawBody: string,
    timestamp: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ) {
    this.payments.verifyWebhook(rawBody, timestamp, signature, now);
  }

  recordPayment(p: PaymentInput, source: 'webhook' | 'statement', actor: Actor) {
    return this.payments.recordPayment(p, source, actor);
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
