import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { type Actor, audit } from '../../core/audit/audit.ts';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';

registerMessages({
  'tax.merge_self': { th: 'รวมเจ้าของกับตัวเองไม่ได้', en: 'An owner cannot be merged with itself' },
  'tax.merge_ids_differ': {
    th: 'ทั้งสองรายมีเลขประจำตัวที่ถูกต้องตามหลักตรวจสอบคนละเลข จึงถือเป็นคนละคน รวมไม่ได้ (ย้ายแปลงหรือป้ายทีละรายการแทน)',
    en: 'Both owners have a valid ID and the IDs differ, so they are taken for two people (move parcels or signs one by one instead)',
  },
  'tax.merge_kinds_differ': {
    th: 'รายหนึ่งเป็นบุคคลธรรมดา อีกรายเป็นนิติบุคคล: แก้ประเภทให้ตรงกันก่อนรวม',
    en: 'One is a person and the other a juristic person: correct the kind before merging',
  },
  'tax.merge_two_main_homes': {
    th: 'รวมแล้วเจ้าของจะมีบ้านหลังหลัก {count} หลัง (ได้หลังเดียวต่อเจ้าของ): แก้แปลงใดแปลงหนึ่งก่อน',
    en: 'Merged, the owner would have {count} main homes (one per owner): correct one of the parcels first',
  },
  'tax.merge_other_changed': {
    th: 'ระเบียนที่จะรวมเข้ามาถูกแก้ไขหลังจากที่เปิดอ่าน (ขณะนี้เป็นรุ่นที่ {version}) กรุณาเปิดใหม่',
    en: 'The record to merge in was changed since it was read (now version {version}); open it again',
  },
});

/** The kept owner's version and the other's, as read: either changed since is 409. */
export const OwnerMergeBody = Type.Object(
  {
    from: Type.String({
      format: 'uuid',
      description: 'the other record of the same person, removed by the merge',
    }),
    version: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: "the kept owner's version as read",
    }),
    fromVersion: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: "the other's version as read",
    }),
  },
  { additionalProperties: false },
);
export interface OwnerMergeInput {
  from: string;
  version: number;
  fromVersion: number;
}

interface OwnerRecord {
  id: string;
  version: number;
  kind: 'person' | 'juristic';
  taxId: string;
  name: string;
  address: string | null;
}

async function lockOwners(db: Db, tx: Executor, ids: string[]) {
  // Locked in id order, so two merges of the same pair the other way round cannot deadlock; a parcel
  // edit marking a main home locks its owner first too (main-home.ts), so none slips in before the move.
  return db.rows<OwnerRecord>(
    sql`SELECT id, version, kind, tax_id AS "taxId", name, address FROM tax_owners
      WHERE id IN (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )}) ORDER BY id FOR UPDATE`,
    tx,
  );
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Two register records of one person become one, in one transaction: the other's parcels, signs and
 * bills move to the kept owner and the other record is removed. Open bills then show the kept owner's
 * name (and reach the citizen whose ID it carries); paid bills keep the payer name their receipt was
 * issued with (payer_name). Refused: the same record (422), a stale version of either (409), two
 * different valid IDs (409: IDs are unique per person, so a mistyped one — which fails the check digit —
 * is the only duplicate there can be), a person with a juristic person (409), and a result with two
 * main homes (409 `tax.main_home_taken`: one per owner). The kept owner takes the other's ID when only
 * that one is valid. Audited on both records with each one's fields before and after.
 */
export function mergeOwners(db: Db, keptId: string, input: OwnerMergeInput, actor: Actor) {
  if (keptId === input.from)
    throw new AppError(422, 'tax.merge_self', msg('tax.merge_self'), [
      { path: '/from', message: msg('tax.merge_self') },
    ]);
  return db.transaction(async (tx) => {
    const rows = await lockOwners(db, tx, [keptId, input.from]);
    const kept = rows.find((r) => r.id === keptId);
    const other = rows.find((r) => r.id === input.from);
    if (!kept) throw AppError.notFound();
    if (!other)
      throw new AppError(404, 'resource.not_found', undefined, [
        { path: '/from', message: msg('tax.not_in_register') },
      ]);
    if (kept.version !== input.version)
      throw AppError.conflict('tax.edit_stale', msg('tax.changed_since_read', { version: kept.version }));
    if (other.version !== input.fromVersion)
      throw AppError.conflict('tax.edit_stale', msg('tax.merge_other_changed', { version: other.version }));
    const keptValid = isValidThaiNationalId(kept.taxId);
    const otherValid = isValidThaiNationalId(other.taxId);
    if (keptValid && otherValid)
      throw new AppError(409, 'tax.merge_ids_differ', msg('tax.merge_ids_differ'), [
        { path: '/from', message: msg('tax.merge_ids_differ') },
      ]);
    if (kept.kind !== other.kind)
      throw new AppError(409, 'tax.merge_kinds_differ', msg('tax.merge_kinds_differ'), [
        { path: '/from', message: msg('tax.merge_kinds_differ') },
      ]);
    const [homes] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_parcels p WHERE p.owner_id IN (${keptId}::uuid, ${other.id}::uuid)
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.uses) u WHERE u->>'mainHome' IS NOT NULL)`,
      tx,
    );
    if (homes.n > 1)
      throw new AppError(409, 'tax.main_home_taken', msg('tax.merge_two_main_homes', { count: homes.n }), [
        { path: '/from', message: msg('tax.merge_two_main_homes', { count: homes.n }) },
      ]);

    const parcels = await db.rows<{ id: string }>(
      sql`UPDATE tax_parcels SET owner_id = ${keptId}, version = version + 1 WHERE owner_id = ${other.id} RETURNING id`,
      tx,
    );
    const signs = await db.rows<{ id: string }>(
      sql`UPDATE tax_signs SET owner_id = ${keptId}, version = version + 1 WHERE owner_id = ${other.id} RETURNING id`,
      tx,
    );
    // A paid bill's receipt names the payer as it was; one paid before that snapshot existed takes it now.
    const bills = await db.rows<{ id: string; status: string }>(
      sql`UPDATE tax_bills SET owner_id = ${keptId},
          payer_name = CASE WHEN status = 'paid' THEN COALESCE(payer_name, ${other.name}) ELSE payer_name END
        WHERE owner_id = ${other.id} RETURNING id, status`,
      tx,
    );
    await db.rows(sql`DELETE FROM tax_owners WHERE id = ${other.id}`, tx);
    const after = {
      kind: kept.kind,
      taxId: !keptValid && otherValid ? other.taxId : kept.taxId,
      name: kept.name,
      address: kept.address ?? other.address,
    };
    const [saved] = await db.rows<{ version: number }>(
      sql`UPDATE tax_owners SET tax_id = ${after.taxId}, address = ${after.address}, version = version + 1
        WHERE id = ${keptId} RETURNING version`,
      tx,
    );
    const { id: _k, version: _kv, ...keptBefore } = kept;
    const { id: _o, version: _ov, ...otherBefore } = other;
    const moved = {
      parcels: ids(parcels),
      signs: ids(signs),
      openBills: ids(bills.filter((b) => b.status === 'open')),
      otherBills: ids(bills.filter((b) => b.status !== 'open')),
    };
    await audit(tx, actor, {
      action: 'tax.owner.merge',
      resourceType: 'tax.owner',
      resourceId: keptId,
      detail: { from: other.id, before: keptBefore, after, moved, version: saved.version },
    });
    await audit(tx, actor, {
      action: 'tax.owner.merged',
      resourceType: 'tax.owner',
      resourceId: other.id,
      detail: { into: keptId, before: { ...otherBefore, version: other.version }, after: null },
    });
    return {
      id: keptId,
      version: saved.version,
      moved: { parcels: parcels.length, signs: signs.length, bills: bills.length },
    };
  });
}
