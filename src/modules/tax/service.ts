import { type Actor, audit } from '../../core/audit/audit.ts';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import { decodePhotos, maxPhotos } from '../../core/media/schema.ts';
import { removeImages, storeImages } from '../../core/media/store.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { type AssessmentTiming, runAssessment } from './assessment-run.ts';
import { apiBoundary } from './boundary.ts';
import { checkInstalledOn } from './filing.ts';
import { amountDue, bangkokDay, monthsAfter } from './late.ts';
import { dueOn, type LateBook, lateBook, reminderOf } from './late-book.ts';
import { checkOneMainHome } from './main-home.ts';
import { Payments } from './payments.ts';
import { billPaymentPayload } from './promptpay.ts';
import { instalmentRuleFor } from './rate-years.ts';
import { checkUses, RegisterEditor } from './register-edits.ts';
import { RegisterRepository } from './register-repository.ts';
import { taxReport } from './reports.ts';
import { type BillRow, type InstalmentRow, TaxRepository } from './repository.ts';
import type {
  AcceptInput,
  BuildingPatchInput,
  DeclarationInput,
  OwnerInput,
  OwnerPatchInput,
  ParcelInput,
  ParcelPatchInput,
  PaymentInput,
  SignInput,
  SignPatchInput,
  SignPhotosInput,
} from './schemas.ts';
import { signTypeFrom } from './sign-language.ts';

export type { AssessmentTiming } from './assessment-run.ts';

registerMessages({
  'tax.sign_photos_full': { th: 'ป้ายนี้มีรูปถ่ายครบแล้ว', en: 'This sign has all the photos it can hold' },
  'tax.instalments_past_due': {
    th: 'ใบแจ้งภาษีนี้พ้นกำหนดชำระแล้ว จึงผ่อนชำระไม่ได้ ต้องชำระพร้อมเงินเพิ่มและเบี้ยปรับในคราวเดียว',
    en: 'This bill is past its due date, so it cannot be paid in instalments: it is due at once with its late charges',
  },
  'tax.sign_photos_at_most': {
    th: 'ป้ายหนึ่งมีรูปถ่ายได้ไม่เกิน {max} รูป (ขณะนี้มี {now} รูป)',
    en: 'a sign holds at most {max} photos (it has {now})',
  },
});

export interface TaxSettings {
  billerId: string;
  webhookSecret?: string;
}

export const baht = (satang: number) => (satang / 100).toFixed(2);

const kindCode = (bill: BillRow) => (bill.taxKind === 'sign' ? 'SG' : 'LB');

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
    const outline = input.boundary ? await apiBoundary(this.db, undefined, input.boundary) : undefined;
    // Given only an outline, the parcel's point is a point surely inside it.
    const location = input.location ?? outline?.pointOnSurface;
    const place = location ? await this.org.locate(location.lon, location.lat) : null;
    return this.db.transaction(async (tx) => {
      await checkOneMainHome(this.db, tx, input.ownerId, input.uses, null);
      const id = await this.repo.insertParcel(tx, {
        ...input,
        location,
        boundary: outline?.geojson.coordinates,
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

  async createSign(input: SignInput, actor: Actor) {
    const type = signTypeFrom(input);
    const place = input.location ? await this.org.locate(input.location.lon, input.location.lat) : null;
    return this.db.transaction(async (tx) => {
      const id = await this.repo.insertSign(tx, { ...input, type, zoneCode: place?.zone.code ?? null });
      await audit(tx, actor, {
        action: 'tax.sign.create',
        resourceType: 'tax.sign',
        resourceId: id,
        detail: input.unfiledYear ? { unfiledYear: input.unfiledYear } : undefined,
      });
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
    const type = signTypeFrom(input);
    checkInstalledOn(input.installedOn, bangkokDay());
    const photos = (await storeImages(uploadsDir, decodePhotos(input.photos))).map((s) => s.name);
    // Photos first, so the row never names a file that is not there; gone again if the row is not.
    return this.db
      .transaction(async (tx) => {
        const ownerId =
          (await this.repo.ownerIdByTaxId(nationalId, tx)) ??
          (await this.repo.insertOwner(tx, { kind: 'person', taxId: nationalId, name: who.displayName }));
        const id = await this.repo.insertDeclaredSign(tx, {
          ...input,
          type,
          ownerId,
          declaredBy: who.userId,
          photos,
        });
        await audit(tx, actor, {
          action: 'tax.sign.declare',
          resourceType: 'tax.sign',
          resourceId: id,
          detail: { photos: photos.length, installedOn: input.installedOn ?? null },
        });
        return { id, status: 'declared' as const };
      })
      .catch(async (e) => {
        await removeImages(uploadsDir, photos);
        throw e;
      });
  }

  /**
   * Staff add photos to a registered or imported sign (a citizen's ภ.ป.1 photos stay first): checked
   * and stored like a declaration's, at most `maxPhotos` in all, versioned and audited like an edit.
   */
  async addSignPhotos(id: string, input: SignPhotosInput, uploadsDir: string, actor: Actor) {
    const now = await this.register.signPhotos(id);
    if (!now) throw AppError.notFound();
    if (now.length + input.photos.length > maxPhotos)
      throw new AppError(
        422,
        'tax.sign_photos_full',
        msg('tax.sign_photos_at_most', { max: maxPhotos, now: now.length }),
        [{ path: '/photos', message: msg('tax.sign_photos_at_most', { max: maxPhotos, now: now.length }) }],
      );
    const photos = (await storeImages(uploadsDir, decodePhotos(input.photos))).map((s) => s.name);
    return this.db
      .transaction(async (tx) => {
        const saved = await this.register.addSignPhotos(tx, id, input.version, photos);
        if (!saved)
          throw AppError.conflict(
            'tax.edit_stale',
            msg('tax.changed_since_read', { version: input.version }),
          );
        await audit(tx, actor, {
          action: 'tax.sign.photos.add',
          resourceType: 'tax.sign',
          resourceId: id,
          detail: { added: photos.length, photos: saved.photos, version: saved.version },
        });
        return { id, version: saved.version, photos: saved.photos };
      })
      .catch(async (e) => {
        await removeImages(uploadsDir, photos);
        throw e;
      });
  }

  /**
   * Registers a declared sign, with what staff found where it differs from the ภ.ป.1: the year's bill
   * then charges s.25(2)'s surcharge on the tax above the declared one (filing.ts).
   */
  acceptDeclaration(id: string, fix: AcceptInput, actor: Actor) {
    const type = fix.type === undefined && fix.textLanguage === undefined ? undefined : signTypeFrom(fix);
    return this.db.transaction(async (tx) => {
      const { textLanguage: _l, ...found } = fix;
      const at = await this.repo.signPoint(id, tx);
      const zone = at ? ((await this.org.locate(at.lon, at.lat, tx))?.zone.code ?? null) : null;
      const row = await this.repo.acceptDeclaration(tx, id, actor.id, { ...found, type }, zone);
      if (!row) throw AppError.notFound();
      const corrected = JSON.stringify(row.declared) !== JSON.stringify(row.registered);
      await audit(tx, actor, {
        action: 'tax.sign.accept',
        resourceType: 'tax.sign',
        resourceId: id,
        detail: corrected ? { declared: row.declared, registered: row.registered } : undefined,
      });
      return { id, status: 'registered' as const, declared: row.declared, registered: row.registered };
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

  /**
   * A bill as its owner or staff sees it on a day (default today in Bangkok): an open bill past its
   * due date is due with its late charges (late.ts), and its PromptPay QR asks for that amount; a paid
   * bill shows the charges paid with it.
   */
  /** Reads each year's late rules once for the calls that share it (a list of bills, a transaction). */
  lateBook(on = this.db.orm) {
    return lateBook(on);
  }

  async view(
    bill: BillRow,
    instalments: InstalmentRow[] = [],
    asOf = bangkokDay(),
    book: LateBook = this.lateBook(),
  ) {
    const open = bill.status === 'open';
    const { rule, due } = open
      ? await dueOn(book, bill, instalments, asOf)
      : {
          rule: undefined,
          due: {
            asOf,
            monthsLate: 0,
            surchargeSatang: bill.surchargePaidSatang,
            penaltySatang: bill.penaltyPaidSatang,
            totalSatang: bill.amountSatang + bill.surchargePaidSatang + bill.penaltyPaidSatang,
            lapsed: false,
          },
        };
    const reminder = reminderOf(bill);
    // The same test planInstalments makes, so the screen offers the button only when the plan would be
    // accepted; the year's rule is read only for an open, unplanned bill not yet past due.
    const plannable = open && instalments.length === 0 && bill.dueDate >= asOf;
    const instalmentRule = plannable ? await book.instalmentRule(bill) : undefined;
    const instalmentsAllowed =
      instalmentRule !== undefined && bill.amountSatang >= instalmentRule.minimumBaht * 100;
    const promptpay =
      bill.amountSatang > 0
        ? billPaymentPayload({
            billerId: this.settings.billerId,
            ref1: bill.number,
            ref2: `${bill.taxYear}${kindCode(bill)}`,
            amount: due.totalSatang / 100,
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
      asOf,
      monthsLate: due.monthsLate,
      surchargeSatang: due.surchargeSatang,
      penaltySatang: due.penaltySatang,
      amountDueSatang: due.totalSatang,
      amountDueBaht: baht(due.totalSatang),
      promptpay,
      reminder,
      instalmentsLapsed: due.lapsed,
      instalmentsAllowed,
      instalmentCount: instalmentsAllowed ? instalmentRule.count : null,
      instalments: instalments.map((i) => {
        // Once lapsed the rest is paid at once with the bill's QR, not instalment by instalment.
        const part =
          i.status === 'open' && rule && !due.lapsed
            ? amountDue(i, asOf, rule, reminder)
            : { totalSatang: i.amountSatang, surchargeSatang: 0, penaltySatang: 0 };
        return {
          seq: i.seq,
          number: i.number,
          amountBaht: baht(i.amountSatang),
          surchargeSatang: part.surchargeSatang,
          penaltySatang: part.penaltySatang,
          amountDueSatang: part.totalSatang,
          amountDueBaht: baht(part.totalSatang),
          dueDate: i.dueDate,
          status: i.status,
          promptpay:
            i.status === 'open' && due.lapsed
              ? ''
              : billPaymentPayload({
                  billerId: this.settings.billerId,
                  ref1: i.number,
                  ref2: `${bill.taxYear}${kindCode(bill)}${i.seq}`,
                  amount: part.totalSatang / 100,
                }),
        };
      }),
    };
  }

  /**
   * Splits an open bill into instalments when its tax's rule allows it (the first takes any odd
   * satang); each instalment then has its own number and Thai QR. Land and building tax falls due at
   * the end of the bill's month and the two after; signboard tax on the bill's due date and a month
   * and two months after it (rates.ts).
   */
  planInstalments(bill: BillRow, actor: Actor, today = bangkokDay()) {
    return this.db.transaction(async (tx) => {
      const rule = await instalmentRuleFor(tx, bill.taxYear, bill.taxKind);
      if (!rule)
        throw AppError.notFound('tax.rates_missing', msg('tax.no_rates_for_year', { year: bill.taxYear }));
      if (bill.status !== 'open' || bill.amountSatang < rule.minimumBaht * 100)
        throw AppError.conflict('tax.instalments_not_allowed');
      // Instalments are a choice within the payment period: once it has passed the tax is in arrears,
      // due at once with its charges (Land and Building Tax Act B.E. 2562 s.52–53; the Signboard Tax
      // Act s.14 bis likewise has the first instalment paid within the period).
      if (bill.dueDate < today) throw AppError.conflict('tax.instalments_past_due');
      if ((await this.repo.instalments(bill.id, tx)).length) throw AppError.conflict('tax.instalments_exist');
      const n = rule.count;
      const each = Math.floor(bill.amountSatang / n);
      const [y, m] = bill.dueDate.split('-').map(Number);
      for (let seq = 1; seq <= n; seq++) {
        const dueDate =
          bill.taxKind === 'sign'
            ? monthsAfter(bill.dueDate, seq - 1)
            : new Date(Date.UTC(y, m - 1 + seq, 0)).toISOString().slice(0, 10);
        await this.repo.insertInstalment(tx, {
          billId: bill.id,
          seq,
          number: `${bill.number}I${seq}`,
          amountSatang: seq === 1 ? bill.amountSatang - each * (n - 1) : each,
          dueDate,
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

  report(year: number) {
    return taxReport(this.repo, year);
  }
}
