import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { type TaxRepository, taxReceived } from './repository.ts';

/**
 * Billed, collected and outstanding for a tax year (docs/modules/tax.md, "Reports"):
 * - collected: the tax received (paid bills, and the paid instalments of bills still open);
 * - surcharge and penalty collected: the late charges received with it, in columns of their own;
 * - received: all money received for the year's bills, tax and charges;
 * - outstanding: the tax billed not yet received (late charges still to come are not in it);
 * - collection rate: tax received / tax billed, so late charges never lift it.
 */
export async function taxReport(repo: TaxRepository, year: number) {
  const rows = (await repo.report(year)).map((r) => ({
    ...r,
    receivedSatang: r.collectedSatang + r.surchargeCollectedSatang + r.penaltyCollectedSatang,
    outstandingSatang: r.billedSatang - r.collectedSatang,
  }));
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const billed = sum((r) => r.billedSatang);
  const collected = sum((r) => r.collectedSatang);
  return {
    year,
    billedSatang: billed,
    collectedSatang: collected,
    surchargeCollectedSatang: sum((r) => r.surchargeCollectedSatang),
    penaltyCollectedSatang: sum((r) => r.penaltyCollectedSatang),
    receivedSatang: sum((r) => r.receivedSatang),
    outstandingSatang: billed - collected,
    collectionRate: billed ? Math.round((collected / billed) * 10000) / 10000 : null,
    rows,
  };
}

/** The year's tax received, late charges received, and tax billed: what the module's two KPIs read. */
export async function yearTotals(db: Db, year: number) {
  const [row] = await db.rows<{
    bills: number;
    billed: number | null;
    tax: number | null;
    charges: number | null;
  }>(sql`
    SELECT count(*)::int AS bills, sum(b.amount_satang)::float8 AS billed, sum(${taxReceived})::float8 AS tax,
      sum(b.surcharge_paid_satang + b.penalty_paid_satang)::float8 AS charges
    FROM tax_bills b WHERE b.tax_year = ${year} AND b.status <> 'cancelled'`);
  return {
    bills: row?.bills ?? 0,
    billedSatang: row?.billed ?? 0,
    taxSatang: row?.tax ?? 0,
    chargesSatang: row?.charges ?? 0,
  };
}
