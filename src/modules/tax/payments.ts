import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { amountDue, bangkokDay } from './late.ts';
import { dueOn, lateBook, reminderOf } from './late-book.ts';
import type { TaxRepository } from './repository.ts';
import type { PaymentInput } from './schemas.ts';

/** Bank reconciliation: the signed webhook's check, and each payment recorded once and matched. */
export class Payments {
  constructor(
    private readonly db: Db,
    private readonly repo: TaxRepository,
    private readonly webhookSecret: string | undefined,
  ) {}

  /** Checks the bank's signature over `timestamp.body` and that the call is fresh (5 minutes). */
  verifyWebhook(
    rawBody: string,
    timestamp: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ) {
    if (!this.webhookSecret) throw new AppError(503, 'tax.webhook_disabled');
    const t = Number(timestamp);
    if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300) throw new AppError(401, 'tax.webhook_stale');
    const expected = createHmac('sha256', this.webhookSecret).update(`${t}.${rawBody}`).digest();
    const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature ?? '') ? signature! : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError(401, 'tax.webhook_signature');
  }

  /**
   * Records a payment exactly once per bank transaction and pays what it matches: a whole bill, or one
   * of its instalments (the bill is paid with its last instalment). The amount expected is what was
   * due on the day it was paid in Bangkok (late.ts): after the due date the tax alone is a mismatch.
   */
  recordPayment(p: PaymentInput, source: 'webhook' | 'statement', actor: Actor) {
    const amountSatang = Math.round(Number(p.amount) * 100);
    return this.db.transaction(async (tx) => {
      const instalment = /I[0-9]+$/.test(p.billNumber)
        ? await this.repo.instalmentByNumberForUpdate(tx, p.billNumber)
        : undefined;
      const bill = instalment
        ? await this.repo.bill(instalment.billId, tx)
        : await this.repo.billByNumberForUpdate(tx, p.billNumber);
      const day = bangkokDay(new Date(p.paidAt));
      const plan = bill ? await this.repo.instalments(bill.id, tx) : [];
      const whole = bill?.status === 'open' ? await dueOn(lateBook(tx), bill, plan, day) : undefined;
      // One instalment is paid alone, unless the plan has lapsed: then its reference pays the rest.
      const one = instalment && whole && !whole.due.lapsed;
      const due =
        bill && whole
          ? one && instalment
            ? amountDue(instalment, day, whole.rule, reminderOf(bill))
            : whole.due
          : undefined;
      let status: string;
      if (!bill) status = 'unknown_bill';
      else if (!due || instalment?.status === 'paid') status = 'already_paid';
      else if (due.totalSatang !== amountSatang) status = 'amount_mismatch';
      else status = 'matched';
      const charges =
        status === 'matched' && due
          ? { surchargeSatang: due.surchargeSatang, penaltySatang: due.penaltySatang }
          : { surchargeSatang: 0, penaltySatang: 0 };
      const result = await this.repo.insertPayment(tx, {
        txnId: p.transactionId,
        billNumber: p.billNumber,
        billId: instalment ? null : (bill?.id ?? null),
        amountSatang,
        paidAt: p.paidAt,
        source,
        status,
        ...charges,
      });
      if (!result.inserted) return { status: result.status, duplicate: true };
      if (status === 'matched' && bill) {
        const settled = one ? [instalment.id] : plan.filter((i) => i.status === 'open').map((i) => i.id);
        await this.repo.markInstalmentsPaid(tx, settled, p.paidAt);
        await this.repo.addPaidCharges(tx, bill.id, charges.surchargeSatang, charges.penaltySatang);
        if (!one || plan.every((i) => i.status === 'paid' || i.id === instalment.id))
          await this.repo.markPaid(tx, bill.id, p.paidAt);
      }
      await audit(tx, actor, {
        action: 'tax.payment.record',
        resourceType: 'tax.payment',
        resourceId: p.transactionId,
        detail: { status, billNumber: p.billNumber, ...charges },
      });
      return { status, duplicate: false };
    });
  }
}
