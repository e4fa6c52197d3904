import { sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { bangkokDay } from './late.ts';
import { dueOn, lateBook } from './late-book.ts';
import type { TaxRepository } from './repository.ts';

const BillNumber = Type.String({
  pattern: '^[0-9A-Z]{1,20}$',
  description: 'the bill to pay (not an instalment)',
});
const Reason = Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' });
export const ResolveBody = Type.Union([
  Type.Object(
    {
      action: Type.Literal('match'),
      billNumber: BillNumber,
      difference: Type.Optional(
        Type.Literal('refund', {
          description: 'pay a different amount anyway: the excess, or a partial payment, is refunded',
        }),
      ),
      reason: Type.Optional(Reason),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { action: Type.Union([Type.Literal('refund'), Type.Literal('not_ours')]), reason: Reason },
    { additionalProperties: false },
  ),
]);
export type ResolveInput = Static<typeof ResolveBody>;

export type Resolution = 'matched' | 'overpaid' | 'partial' | 'refund' | 'not_ours';

export interface QueuedPayment {
  id: string;
  transactionId: string;
  billNumber: string | null;
  amountSatang: number;
  paidAt: string;
  source: 'webhook' | 'statement';
  status: 'unknown_bill' | 'amount_mismatch' | 'already_paid';
  /** The bill the bank's reference names, if there is one: its owner (the likely payer) and amount. */
  ownerName: string | null;
  billAmountSatang: number | null;
  billStatus: string | null;
  resolution: Resolution | null;
  resolvedBillNumber: string | null;
  refundSatang: number | null;
  reason: string | null;
  resolvedAt: string | null;
}

const baht = (satang: number) => (satang / 100).toFixed(2);

/** The unmatched-payments queue: bank payments a person must settle, and settling each one once. */
export class PaymentQueue {
  constructor(
    private readonly db: Db,
    private readonly repo: TaxRepository,
  ) {}

  /** A page of the waiting payments (newest first), or of the resolved ones, and how many there are. The caller audits the read. */
  async list(state: 'open' | 'resolved', limit: number, offset: number) {
    const which = state === 'open' ? sql`p.resolution IS NULL` : sql`p.resolution IS NOT NULL`;
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_payments p WHERE p.status <> 'matched' AND ${which}`,
    );
    const items = await this.db.rows<QueuedPayment>(sql`
      SELECT p.id, p.bank_txn_id AS "transactionId", p.bill_number AS "billNumber",
        p.amount_satang::float8 AS "amountSatang", p.paid_at AS "paidAt", p.source, p.status,
        o.name AS "ownerName", b.amount_satang::float8 AS "billAmountSatang", b.status AS "billStatus",
        p.resolution, rb.number AS "resolvedBillNumber", p.refund_satang::float8 AS "refundSatang",
        p.resolution_reason AS reason, p.resolved_at AS "resolvedAt"
      FROM tax_payments p
        -- The reference may be a bill's number or one of its instalments'.
        LEFT JOIN LATERAL (
          SELECT x.owner_id, x.amount_satang, x.status FROM tax_bills x WHERE x.number = p.bill_number
          UNION ALL
          SELECT x.owner_id, x.amount_satang, x.status
          FROM tax_instalments i JOIN tax_bills x ON x.id = i.bill_id WHERE i.number = p.bill_number
          LIMIT 1
        ) b ON true
        LEFT JOIN tax_owners o ON o.id = b.owner_id
        LEFT JOIN tax_bills rb ON rb.id = p.resolved_bill_id
      WHERE p.status <> 'matched' AND ${which}
      ORDER BY ${state === 'open' ? sql`p.created_at` : sql`p.resolved_at`} DESC, p.id
      LIMIT ${limit} OFFSET ${offset}`);
    return { total: count.n, items };
  }

  /**
   * Settles one queued payment in one transaction: matched to a bill (paid as the bank's match would
   * pay it, so its receipt is issued the same way) or closed with a reason. A second call is 409.
   */
  resolve(paymentId: string, input: ResolveInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const [payment] = await this.db.rows<{
        status: string;
        resolution: string | null;
        amountSatang: number;
        paidAt: string;
        transactionId: string;
      }>(
        sql`SELECT status, resolution, amount_satang::float8 AS "amountSatang", paid_at::text AS "paidAt",
            bank_txn_id AS "transactionId"
          FROM tax_payments WHERE id = ${paymentId} FOR UPDATE`,
        tx,
      );
      if (!payment) throw AppError.notFound();
      if (payment.status === 'matched') throw AppError.conflict('tax.payment_matched');
      if (payment.resolution) throw AppError.conflict('tax.payment_resolved');
      const outcome =
        input.action === 'match'
          ? await this.matchToBill(tx, paymentId, payment, input)
          : {
              resolution: input.action,
              billId: null,
              billNumber: null,
              refundSatang: input.action === 'refund' ? payment.amountSatang : null,
            };
      const reason = input.reason?.trim() || null;
      await tx.execute(sql`
        UPDATE tax_payments SET resolution = ${outcome.resolution}, resolved_bill_id = ${outcome.billId},
          refund_satang = ${outcome.refundSatang}, resolution_reason = ${reason},
          resolved_by = ${actor.id}::uuid, resolved_at = now()
        WHERE id = ${paymentId}`);
      await audit(tx, actor, {
        action: 'tax.payment.resolve',
        resourceType: 'tax.payment',
        resourceId: paymentId,
        detail: {
          transactionId: payment.transactionId,
          resolution: outcome.resolution,
          billNumber: outcome.billNumber,
          refundSatang: outcome.refundSatang,
          reason,
        },
      });
      return {
        id: paymentId,
        resolution: outcome.resolution,
        billNumber: outcome.billNumber,
        refundSatang: outcome.refundSatang,
      };
    });
  }

  private async matchToBill(
    tx: Executor,
    paymentId: string,
    payment: { amountSatang: number; paidAt: string },
    input: Extract<ResolveInput, { action: 'match' }>,
  ) {
    const bill = await this.repo.billByNumberForUpdate(tx, input.billNumber);
    if (!bill)
      throw new AppError(404, 'tax.bill_unknown', undefined, [
        { path: '/billNumber', message: msg('tax.bill_unknown') },
      ]);
    if (bill.status === 'paid') throw AppError.conflict('tax.bill_already_paid');
    if (bill.status !== 'open') throw AppError.conflict('tax.bill_not_payable');
    const plan = await this.repo.instalments(bill.id, tx);
    // What the bill still asks on the day the bank was paid, as the bank's matching reckons it (late-book.ts).
    const { due: owed } = await dueOn(lateBook(tx), bill, plan, bangkokDay(new Date(payment.paidAt)));
    const due = owed.totalSatang;
    const paid = payment.amountSatang;
    if (paid !== due && input.difference !== 'refund')
      throw AppError.conflict(
        'tax.payment_amount',
        msg('tax.payment_amount_detail', { paid: baht(paid), due: baht(due) }),
      );
    const resolution: Resolution = paid === due ? 'matched' : paid > due ? 'overpaid' : 'partial';
    if (resolution !== 'partial') {
      await this.repo.markInstalmentsPaid(
        tx,
        plan.filter((i) => i.status === 'open').map((i) => i.id),
        payment.paidAt,
      );
      await this.repo.addPaidCharges(tx, bill.id, owed.surchargeSatang, owed.penaltySatang);
      await tx.execute(sql`
        UPDATE tax_payments SET surcharge_satang = ${owed.surchargeSatang}, penalty_satang = ${owed.penaltySatang}
        WHERE id = ${paymentId}`);
      await this.repo.markPaid(tx, bill.id, payment.paidAt);
    }
    return {
      resolution,
      billId: bill.id,
      billNumber: bill.number,
      refundSatang: resolution === 'matched' ? null : resolution === 'overpaid' ? paid - due : paid,
    };
  }
}
