import { sql } from 'drizzle-orm';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { removeImages, storedName } from '../../core/media/store.ts';

/**
 * Finance staff remove the n-th photo (1-based, as read) of a sign still at `version`: 404 when the
 * sign or the photo is not there, 409 when the sign changed since it was read. The row and its audit
 * entry are written in one transaction and the file is removed only after it commits, so a failed
 * removal never leaves the row naming a missing file. A ภ.ป.1's own photos are the sign's first ones
 * and go the same way (the declarant no longer sees a removed one).
 */
export async function removeSignPhoto(
  db: Db,
  uploadsDir: string,
  id: string,
  n: number,
  version: number,
  actor: Actor,
) {
  const done = await db.transaction(async (tx) => {
    const [sign] = await db.rows<{ version: number; photos: string[] }>(
      sql`SELECT version, photos FROM tax_signs WHERE id = ${id} FOR UPDATE`,
      tx,
    );
    if (!sign) throw AppError.notFound();
    if (sign.version !== version)
      throw AppError.conflict('tax.edit_stale', msg('tax.changed_since_read', { version: sign.version }));
    const name = sign.photos[n - 1];
    if (name === undefined) throw AppError.notFound();
    const [row] = await db.rows<{ version: number; photos: number }>(
      sql`UPDATE tax_signs SET photos = photos - ${n - 1}::int, version = version + 1
        WHERE id = ${id} RETURNING version, jsonb_array_length(photos) AS photos`,
      tx,
    );
    await audit(tx, actor, {
      action: 'tax.sign.photo.remove',
      resourceType: 'tax.sign',
      resourceId: id,
      detail: {
        n,
        before: { photos: sign.photos.length },
        after: { photos: row.photos },
        version: row.version,
      },
    });
    return { name, saved: { id, version: row.version, photos: row.photos } };
  });
  // Only a name storeImages made is ever joined into a path.
  if (storedName.test(done.name)) await removeImages(uploadsDir, [done.name]);
  return done.saved;
}
