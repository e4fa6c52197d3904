import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import type { UsePart } from './assessment.ts';

registerMessages({
  'tax.main_home_taken': {
    th: 'เจ้าของรายนี้มีบ้านหลังหลักในทะเบียนแล้ว',
    en: 'This owner already has a main home in the register',
  },
  'tax.main_home_other_parcel': {
    th: 'บ้านหลังหลักได้รับยกเว้นได้หลังเดียวต่อเจ้าของ (มาตรา 41) และเจ้าของรายนี้มีแล้วที่เอกสารสิทธิ์ {deedKind} {deedNo}: ให้แก้แปลงนั้นก่อน',
    en: 'An owner has one main home (s.41), and this owner’s is deed {deedKind} {deedNo}: correct that parcel first',
  },
});

/** The index of the use marked as a main home, or -1. */
export const mainHomeUse = (uses: UsePart[]) => uses.findIndex((u) => u.mainHome !== undefined);

/**
 * The deed of another parcel of the owner marked as a main home, if any. The owner's row is locked
 * first, so two edits marking two of their parcels at once cannot both pass the check.
 */
export async function otherMainHome(db: Db, on: Executor, ownerId: string, exceptParcelId: string | null) {
  await db.rows(sql`SELECT 1 FROM tax_owners WHERE id = ${ownerId} FOR UPDATE`, on);
  const [row] = await db.rows<{ deedKind: string; deedNo: string }>(
    sql`SELECT deed_kind AS "deedKind", deed_no AS "deedNo" FROM tax_parcels p
      WHERE owner_id = ${ownerId} AND (${exceptParcelId}::uuid IS NULL OR id <> ${exceptParcelId}::uuid)
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.uses) u WHERE u->>'mainHome' IS NOT NULL)
      ORDER BY id LIMIT 1`,
    on,
  );
  return row;
}

/** Refuses (409, beside the use) a main home on a parcel when the owner has one on another parcel. */
export async function checkOneMainHome(
  db: Db,
  on: Executor,
  ownerId: string,
  uses: UsePart[],
  parcelId: string | null,
) {
  const i = mainHomeUse(uses);
  if (i < 0) return;
  const other = await otherMainHome(db, on, ownerId, parcelId);
  if (other)
    throw new AppError(409, 'tax.main_home_taken', msg('tax.main_home_other_parcel', { ...other }), [
      { path: `/uses/${i}/mainHome`, message: msg('tax.main_home_other_parcel', { ...other }) },
    ]);
}
