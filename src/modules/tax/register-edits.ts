import { type Actor, audit } from '../../core/audit/audit.ts';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { apiBoundary } from './boundary.ts';
import { checkOneMainHome, mainHomeUse } from './main-home.ts';
import type { RegisterRepository } from './register-repository.ts';
import type { TaxRepository } from './repository.ts';
import type {
  BuildingPatchInput,
  OwnerPatchInput,
  ParcelInput,
  ParcelPatchInput,
  SignPatchInput,
} from './schemas.ts';
import { languageOf, signTypeFrom } from './sign-language.ts';

registerMessages({
  'tax.tax_id_taken': {
    th: 'เลขประจำตัวนี้เป็นของเจ้าของอีกรายในทะเบียนแล้ว',
    en: 'Another owner in the register has this ID',
  },
  'tax.tax_id_other_owner': {
    th: 'เป็นเลขของเจ้าของอีกรายในทะเบียน ให้โอนแปลงหรือป้ายไปยังเจ้าของรายนั้นแทน',
    en: "another owner's ID: move the parcels or signs to that owner instead",
  },
  'tax.name_blank': { th: 'ชื่อต้องมีตัวอักษร ไม่ใช่เว้นวรรคอย่างเดียว', en: 'the name must not be only spaces' },
});

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

/**
 * A parcel's uses as the domain needs them: shares that add up to 100 %, a main home only for
 * residential use, years left vacant only for vacant land (elsewhere they would be kept but never
 * taxed, and a reader would take them for a surcharge), and no use twice (a main home and another
 * home count as different uses), since each share is taxed once at its use's rate.
 */
export function checkUses(uses: ParcelInput['uses']) {
  const share = uses.reduce((sum, u) => sum + u.sharePercent, 0);
  if (Math.abs(share - 100) > 1e-9)
    throw AppError.badRequest('tax.use_shares', msg('tax.use_shares_sum', { share }), [
      { path: '/uses', message: msg('tax.use_shares_sum', { share }) },
    ]);
  const wrongHome = uses.findIndex((u) => u.mainHome && u.use !== 'residential');
  if (wrongHome >= 0)
    throw AppError.badRequest('request.invalid', msg('tax.main_home_residential'), [
      { path: `/uses/${wrongHome}/mainHome`, message: msg('tax.main_home_residential') },
    ]);
  const wrongVacant = uses.findIndex((u) => u.vacantYears !== undefined && u.use !== 'vacant');
  if (wrongVacant >= 0)
    throw AppError.badRequest('request.invalid', msg('tax.vacant_years_vacant_only'), [
      { path: `/uses/${wrongVacant}/vacantYears`, message: msg('tax.vacant_years_vacant_only') },
    ]);
  const keys = uses.map((u) => `${u.use}/${u.mainHome ?? ''}`);
  const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (twice >= 0)
    throw AppError.badRequest('tax.use_duplicate', undefined, [
      { path: `/uses/${twice}/use`, message: msg('tax.use_listed_already') },
    ]);
}

function stale(version: number) {
  return AppError.conflict('tax.edit_stale', msg('tax.changed_since_read', { version }));
}

/** The record an edit was made from: 404 when there is none, 409 when it changed since `version`. */
function asRead<T extends { version: number }>(current: T | undefined, version: number): T {
  if (!current) throw AppError.notFound();
  if (current.version !== version) throw stale(current.version);
  return current;
}

/**
 * Finance staff correct the register. An edit names the version it was made from; if the record
 * changed since, it is refused (409) rather than overwriting the newer values.
 */
export class RegisterEditor {
  private readonly org: OrgRepository;

  constructor(
    private readonly db: Db,
    private readonly repo: TaxRepository,
    private readonly register: RegisterRepository,
  ) {
    this.org = new OrgRepository(db);
  }

  /** An owner's id from a checked tax ID; an edit links to an owner already in the register. */
  private async ownerFor(on: Executor, taxId: string) {
    if (!isValidThaiNationalId(taxId))
      throw AppError.badRequest('tax.tax_id_invalid', undefined, [
        { path: '/ownerTaxId', message: msg('field.check_digit') },
      ]);
    const id = await this.repo.ownerIdByTaxId(taxId, on);
    if (!id)
      throw AppError.badRequest('tax.owner_unknown', undefined, [
        { path: '/ownerTaxId', message: msg('tax.not_in_register') },
      ]);
    return id;
  }

  /**
   * The end of every correction: nothing written when no field changed; else `write` (which answers the
   * new version, or undefined when another edit came first: 409) and the audit entry with the fields
   * before and after.
   */
  private async save<T extends object>(
    tx: Executor,
    actor: Actor,
    kind: 'parcel' | 'building' | 'sign' | 'owner',
    id: string,
    version: number,
    before: T,
    after: T,
    write: () => Promise<number | undefined>,
    detail: Record<string, unknown> = {},
  ) {
    const diff = changes(before, after);
    if (!diff) return { id, version };
    const next = await write();
    if (next === undefined) throw stale(version);
    await audit(tx, actor, {
      action: `tax.${kind}.update`,
      resourceType: `tax.${kind}`,
      resourceId: id,
      detail: { ...diff, ...detail, version: next },
    });
    return { id, version: next };
  }

  /**
   * Staff correct a parcel. The edit names the version it was made from; if the parcel changed since,
   * it is refused (409) rather than overwriting the newer values. Audited with the fields before and after.
   */
  editParcel(id: string, patch: ParcelPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = asRead(await this.register.parcelForEdit(tx, id), patch.version);
      const { version, hasPoint, ...before } = current;
      const areaM2 = patch.area
        ? patch.area.rai * 1600 + patch.area.ngan * 400 + patch.area.wa * 4
        : undefined;
      // An outline is checked (422) and kept as stored, so an unchanged one compares equal.
      const outline = patch.boundary ? await apiBoundary(this.db, tx, patch.boundary) : undefined;
      const boundary = patch.boundary === undefined ? undefined : (outline?.geojson ?? null);
      const after = merged(before, { ...patch, areaM2, boundary });
      if (areaM2 !== undefined && areaM2 <= 0)
        throw AppError.badRequest('request.invalid', msg('tax.area_positive'), [
          { path: '/area', message: msg('tax.area_positive') },
        ]);
      checkUses(after.uses);
      if (after.appraisalBlock !== null && after.appraisalZone === null)
        throw AppError.badRequest('request.invalid', msg('tax.block_needs_zone'), [
          { path: '/appraisalZone', message: msg('tax.block_needs_zone') },
        ]);
      const ownerId = await this.ownerFor(tx, after.ownerTaxId);
      // Only a main home new to this parcel or its owner is checked: a register imported with two
      // can still have the second parcel's other fields corrected (the assessment gives one the exemption).
      if (mainHomeUse(before.uses) < 0 || after.ownerTaxId !== before.ownerTaxId)
        await checkOneMainHome(this.db, tx, ownerId, after.uses, id);
      // A parcel that had no point takes the outline's point-on-surface, and the zone it lies in.
      const surface = !hasPoint && outline ? outline.pointOnSurface : undefined;
      const point = surface && {
        ...surface,
        zoneCode: (await this.org.locate(surface.lon, surface.lat, tx))?.zone.code ?? null,
      };
      return this.save(
        tx,
        actor,
        'parcel',
        id,
        version,
        before,
        after,
        () => this.register.updateParcel(tx, id, version, { ...after, ownerId, point }),
        point ? { location: point } : {},
      );
    });
  }

  /** Staff correct a building (same versioning and audit as a parcel); its number stays unique on the parcel. */
  editBuilding(id: string, patch: BuildingPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = asRead(await this.register.buildingForEdit(tx, id), patch.version);
      const { version, parcelId, ...before } = current;
      const after = merged(before, patch);
      if (after.buildingNo !== null && after.buildingNo !== before.buildingNo) {
        const other = await this.repo.buildingIdByNo(parcelId, after.buildingNo, tx);
        if (other && other !== id)
          throw AppError.conflict('tax.building_no_taken', msg('tax.building_no_taken'));
      }
      return this.save(
        tx,
        actor,
        'building',
        id,
        version,
        before,
        after,
        () => this.register.updateBuilding(tx, id, version, after),
        { parcelId },
      );
    });
  }

  /**
   * Staff correct an owner: name, address, kind, or a mistyped tax ID. A new ID must pass the check
   * digit and must not be another owner's (409 `tax.tax_id_taken`: two records of one person are merged
   * by moving their parcels and signs, not by giving both the same ID). Bills read the owner's name and
   * ID from the owner, so open bills show the correction, and a citizen sees the bills of the owner
   * whose ID is now theirs.
   */
  editOwner(id: string, patch: OwnerPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = asRead(await this.register.ownerForEdit(tx, id), patch.version);
      const { version, ...before } = current;
      const after = merged(before, patch);
      after.name = after.name.trim();
      if (!after.name)
        throw AppError.badRequest('request.invalid', msg('tax.name_blank'), [
          { path: '/name', message: msg('tax.name_blank') },
        ]);
      after.address = after.address?.trim() || null;
      if (after.taxId !== before.taxId) {
        if (!isValidThaiNationalId(after.taxId))
          throw AppError.badRequest('tax.tax_id_invalid', undefined, [
            { path: '/taxId', message: msg('field.check_digit') },
          ]);
        const other = await this.repo.ownerIdByTaxId(after.taxId, tx);
        if (other && other !== id)
          throw new AppError(409, 'tax.tax_id_taken', msg('tax.tax_id_taken'), [
            { path: '/taxId', message: msg('tax.tax_id_other_owner') },
          ]);
      }
      return this.save(tx, actor, 'owner', id, version, before, after, () =>
        this.register.updateOwner(tx, id, version, after),
      );
    });
  }

  editSign(id: string, patch: SignPatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = asRead(await this.register.signForEdit(tx, id), patch.version);
      const { version, ...before } = current;
      // The type follows from the text language; given both, they must agree (422).
      const type =
        patch.type === undefined && patch.textLanguage === undefined
          ? before.type
          : signTypeFrom({ type: patch.type, textLanguage: patch.textLanguage });
      const after = merged(before, { ...patch, type, textLanguage: languageOf(type) });
      const ownerId = await this.ownerFor(tx, after.ownerTaxId);
      // The zone is resolved again from the point on every correction, as a parcel's is.
      const at = after.location;
      const zoneCode = at ? ((await this.org.locate(at.lon, at.lat, tx))?.zone.code ?? null) : null;
      return this.save(tx, actor, 'sign', id, version, before, after, () =>
        this.register.updateSign(tx, id, version, { ...after, ownerId, zoneCode }),
      );
    });
  }
}
