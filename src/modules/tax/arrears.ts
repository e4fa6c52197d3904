import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { dueOn, type LateBook, lateBook, reminderOf } from './late-book.ts';
import { TaxRepository } from './repository.ts';

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
  reminderSentOn: string | null;
  reminderDeadline: string | null;
}

/** Rows read per statement while adding up the late charges of every overdue bill. */
const totalsBatch = 5000;

// A bill in instalments is overdue only once one of its open instalments is (then all the rest is).
const where = (f: ArrearsFilter): SQL =>
  sql`b.status = 'open' AND b.due_date < ${f.asOf}::date
    AND (NOT EXISTS (SELECT 1 FROM tax_instalments i WHERE i.bill_id = b.id)
      OR EXISTS (SELECT 1 FROM tax_instalments i WHERE i.bill_id = b.id AND i.status = 'open' AND i.due_date < ${f.asOf}::date))
    AND (${f.taxKind ?? null}::text IS NULL OR b.tax_kind = ${f.taxKind ?? null})
    ${f.zone === undefined ? sql`` : sql`AND p.zone_code = ${f.zone}`}`;

const overdueColumns = sql`b.id, b.number, b.tax_year AS "taxYear", b.tax_kind AS "taxKind",
  b.amount_satang::float8 AS "amountSatang", to_char(b.due_date, 'YYYY-MM-DD') AS "dueDate",
  (SELECT to_char(r.sent_on, 'YYYY-MM-DD') FROM tax_bill_reminders r WHERE r.bill_id = b.id) AS "reminderSentOn",
  (SELECT to_char(r.deadline, 'YYYY-MM-DD') FROM tax_bill_reminders r WHERE r.bill_id = b.id) AS "reminderDeadline"`;

/**
 * Bills with the surcharge and penalty of the day: late.ts is asked through late-book.ts, as for the
 * payer's amount due (the bill's year's rules, its reminder, its instalments read in one query).
 */
async function withCharges<T extends OverdueBill>(db: Db, book: LateBook, bills: T[], asOf: string) {
  const plans = await new TaxRepository(db).instalmentsOf(bills.map((b) => b.id));
  const out = [];
  for (const b of bills) {
    const { due } = await dueOn(book, b, plans.get(b.id) ?? [], asOf);
    const { reminderSentOn: _s, reminderDeadline: _d, ...bill } = b;
    out.push({
      ...bill,
      // What is left of the tax (a bill in instalments: its open ones).
      amountSatang: due.totalSatang - due.surchargeSatang - due.penaltySatang,
      monthsLate: due.monthsLate,
      surchargeSatang: due.surchargeSatang,
      penaltySatang: due.penaltySatang,
      totalSatang: due.totalSatang,
      instalmentsLapsed: due.lapsed,
      reminder: reminderOf(b),
    });
  }
  return out;
}

/**
 * Totals over every overdue bill of the filter, not one page: the late charges are per bill (each
 * rounded and capped on its own), so the bills are read in keyset batches and each is asked of late.ts.
 */
async function arrearsTotals(db: Db, book: LateBook, f: ArrearsFilter): Promise<ArrearsTotals> {
  const totals = { count: 0, amountSatang: 0, surchargeSatang: 0, penaltySatang: 0, totalSatang: 0 };
  let after: { dueDate: string; number: string } | undefined;
  for (;;) {
    const batch = await db.rows<OverdueBill>(
      sql`SELECT ${overdueColumns} FROM tax_bills b LEFT JOIN tax_parcels p ON p.id = b.parcel_id
        WHERE ${where(f)}
          ${after ? sql`AND (b.due_date, b.number) > (${after.dueDate}::date, ${after.number})` : sql``}
        ORDER BY b.due_date, b.number LIMIT ${totalsBatch}`,
    );
    for (const c of await withCharges(db, book, batch, f.asOf)) {
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
  // One book for the page and the totals: each tax year's record is read once.
  const book = lateBook(db.orm);
  const totals = await arrearsTotals(db, book, f);
  return {
    asOf: f.asOf,
    taxKind: f.taxKind ?? null,
    zone: f.zone ?? null,
    total: totals.count,
    limit,
    offset,
    totals,
    bills: await withCharges(db, book, bills, f.asOf),
  };
}
