import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { like } from './register-repository.ts';

export interface OwnerListRow {
  id: string;
  kind: 'person' | 'juristic';
  name: string;
  /** The last four digits only: a list is read more widely than one opened (and audited) record. */
  taxIdMasked: string;
  parcels: number;
  signs: number;
}

/**
 * A page of the register's owners, by name. A search is part of a name, or a whole 13-digit tax ID
 * (dashes and spaces ignored); a part of an ID finds nothing, so the list cannot be used to guess IDs.
 */
export async function registerOwners(db: Db, q: string | undefined, limit: number, offset: number) {
  const digits = q?.replace(/[\s-]/g, '') ?? '';
  const where = !q
    ? sql`true`
    : /^[0-9]{13}$/.test(digits)
      ? sql`o.tax_id = ${digits}`
      : sql`o.name ILIKE ${like(q)} ESCAPE '\\'`;
  const [count] = await db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM tax_owners o WHERE ${where}`,
  );
  const items = await db.rows<OwnerListRow>(
    sql`SELECT o.id, o.kind, o.name, '*********' || right(o.tax_id, 4) AS "taxIdMasked",
        (SELECT count(*)::int FROM tax_parcels p WHERE p.owner_id = o.id) AS parcels,
        (SELECT count(*)::int FROM tax_signs s WHERE s.owner_id = o.id) AS signs
      FROM tax_owners o WHERE ${where}
      ORDER BY o.name, o.id LIMIT ${limit} OFFSET ${offset}`,
  );
  return { total: count.n, items };
}
