import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { amountDue } from './late.ts';

export interface ArrearsFilter {
  asOf: string;
  /** Only this tax. */
  taxKind?: 'land-building' | 'sign';
  /** Only bills of parcels in this municipal zone (signs have no zone, so none of theirs). */
  zone?: string;
}

export interface ArrearsTotals {
  count: number;
  amountSatang: number;
  surchargeSatang: number;
  penaltySatang: number;
  totalSatang: number;
}

interface OverdueBill {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  amountSatang: number;
  dueDate: string;
}

/** Rows read per statement while adding up the late charges of every overdue bill. */
const totalsBatch = 5000;

const where = (f: ArrearsFilter): SQL =>
  sql`b.status = 'open' AND b.due_date < ${f.asOf}::date
    AND (${f.taxKind ?? null}::text IS NULL OR b.tax_kind = ${f.taxKind ?? null})
    ${f.zone === undefined ? sql`` : sql`AND p.zone_code = ${f.zone}`}`;

const overdueColumns = sql`b.id, b.number, b.tax_year AS "taxYear", b.tax_kind AS "taxKind",
  b.amount_satang::float8 AS "amountSatang", to_char(b.due_date, 'YYYY-MM-DD') AS "dueDate"`;

/** A bill with the surcharge and penalty of the day: late.ts is asked, as for the payer's amount due. */
const withCharges = <T extends OverdueBill>(b: T, asOf: string) => {
  const due = amountDue(b, asOf);
  return {
    ...b,
    monthsLate: due.monthsLate,
    surchargeSatang: due.surchargeSatang,
    penaltySatang: due.penaltySatang,
    totalSatang: due.totalSatang,
  };
};

/**
 * Totals over every overdue bill of the filter, not one page: the late charges are per bill (each
 * rounded and capped on its own), so the bills are read in keyset batches and each is asked of late.ts.
 */
async function arrearsTotals(db: Db, f: ArrearsFilter): Promise<ArrearsTotals> {
  const totals = { count: 0, amountSatang: 0, surchargeSatang: 0, penaltySatang: 0, totalSatang: 0 };
  let after: { dueDate: string; number: string } | undefined;
  for (;;) {
    const batch = await db.rows<OverdueBill>(
      sql`SELECT ${overdueColumns} FROM tax_bills b LEFT JOIN tax_parcels p ON p.id = b.parcel_id
        WHERE ${where(f)}
          ${after ? sql`AND (b.due_date, b.number) > (${after.dueDate}::date, ${after.number})` : sql``}
        ORDER BY b.due_date, b.number LIMIT ${totalsBatch}`,
    );
    for (const b of batch) {
      const c = withCharges(b, f.asOf);
      totals.count += 1;
      totals.amountSatang += c.amountSatang;
      totals.surchargeSatang += c.surchargeSatang;
      totals.penaltySatang += c.penaltySatang;
      totals.totalSatang += c.totalSatang;
    }
    if (batch.length < totalsBatch) return totals;
    const last = batch[batch.length - 1];
    after = { dueDate: last.dueDate, number: last.number };
  }
}

/**
 * A page of the open bills past their due date on a day (oldest due first, then by number), each with
 * its late charges, and the count and totals of all of them.
 */
export async function arrearsPage(db: Db, f: ArrearsFilter, limit: number, offset: number) {
  const bills = await db.rows<OverdueBill & { ownerName: string }>(
    sql`SELECT ${overdueColumns}, o.name AS "ownerName"
      FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id LEFT JOIN tax_parcels p ON p.id = b.parcel_id
      WHERE ${where(f)} ORDER BY b.due_date, b.number LIMIT ${limit} OFFSET ${offset}`,
  );
  const totals = await arrearsTotals(db, f);
  return {
    asOf: f.asOf,
    taxKind: f.taxKind ?? null,
    zone: f.zone ?? null,
    total: totals.count,
    limit,
    offset,
    totals,
    bills: bills.map((b) => withCharges(b, f.asOf)),
  };
}
