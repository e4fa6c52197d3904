import { type SQL, sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import { type Actor, auditMany } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import { bangkokDay, daysAfter } from './late.ts';

registerMessages({
  'tax.reminder_exists': {
    th: 'ส่งหนังสือแจ้งเตือนสำหรับใบแจ้งภาษีนี้แล้ว',
    en: 'A reminder has already been sent for this bill',
  },
  'tax.reminder_not_overdue': {
    th: 'ใบแจ้งภาษีนี้ไม่ได้ค้างชำระ จึงส่งหนังสือแจ้งเตือนไม่ได้',
    en: 'This bill is not overdue, so no reminder can be sent for it',
  },
  'tax.reminder_deadline': {
    th: 'กำหนดชำระในหนังสือแจ้งเตือนต้องอยู่หลังวันนี้ และไม่เกิน {max} วัน',
    en: 'the reminder’s deadline must be after today and at most {max} days ahead',
  },
});

/** Days a reminder gives to pay when staff set no deadline. */
export const defaultReminderDays = 30;
const maxReminderDays = 365;

export const ReminderBody = Type.Object(
  {
    deadline: Type.Optional(
      Type.String({ format: 'date', description: 'Pay by (YYYY-MM-DD, Bangkok); default 30 days' }),
    ),
  },
  { additionalProperties: false },
);
export const YearRemindersBody = Type.Object(
  {
    taxYear: Type.Integer({ minimum: 2560, maximum: 2700 }),
    deadline: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export type ReminderInput = Static<typeof ReminderBody>;
export type YearRemindersInput = Static<typeof YearRemindersBody>;

function deadlineFrom(today: string, given?: string) {
  const deadline = given ?? daysAfter(today, defaultReminderDays);
  if (deadline <= today || deadline > daysAfter(today, maxReminderDays)) {
    const message = msg('tax.reminder_deadline', { max: maxReminderDays });
    throw new AppError(422, 'tax.reminder_deadline', message, [{ path: '/deadline', message }]);
  }
  return deadline;
}

/** An open bill past due on `today`: past its own due date, or, in instalments, with one past due. */
const overdue = (today: string) => sql`b.status = 'open' AND (
  (NOT EXISTS (SELECT 1 FROM tax_instalments i WHERE i.bill_id = b.id) AND b.due_date < ${today}::date)
  OR EXISTS (SELECT 1 FROM tax_instalments i WHERE i.bill_id = b.id AND i.status = 'open' AND i.due_date < ${today}::date))`;

async function insertReminders(tx: Executor, which: SQL, today: string, deadline: string, actor: Actor) {
  const rows = (
    (await tx.execute(sql`
      INSERT INTO tax_bill_reminders (bill_id, sent_on, deadline, sent_by, sent_by_label)
      SELECT b.id, ${today}::date, ${deadline}::date, ${actor.id}::uuid, ${actor.label}
        FROM tax_bills b WHERE ${which} AND ${overdue(today)}
          AND NOT EXISTS (SELECT 1 FROM tax_bill_reminders r WHERE r.bill_id = b.id)
      ON CONFLICT (bill_id) DO NOTHING
      RETURNING bill_id AS "billId", (SELECT number FROM tax_bills WHERE id = bill_id) AS number`)) as unknown as {
      rows: { billId: string; number: string }[];
    }
  ).rows;
  // One audit row a bill, in the same transaction as its reminder.
  await auditMany(
    tx,
    actor,
    rows.map((r) => ({
      action: 'tax.bill.remind',
      resourceType: 'tax.bill',
      resourceId: r.billId,
      detail: { number: r.number, sentOn: today, deadline },
    })),
  );
  return rows;
}

/**
 * The municipality's reminders (หนังสือแจ้งเตือน, Land and Building Tax Act B.E. 2562 s.61) for bills
 * past due, one a bill; from the day one is sent the bill's penalty is the reminder's (late.ts).
 */
export class Reminders {
  constructor(private readonly db: Db) {}

  /** Sends the reminder of one overdue bill: 404 unknown, 409 not overdue or already reminded. */
  send(billId: string, input: ReminderInput, actor: Actor, today = bangkokDay()) {
    const deadline = deadlineFrom(today, input.deadline);
    return this.db.transaction(async (tx) => {
      const [bill] = await this.db.rows<{ id: string }>(
        sql`SELECT id FROM tax_bills WHERE id = ${billId} FOR UPDATE`,
        tx,
      );
      if (!bill) throw AppError.notFound();
      const [sent] = await this.db.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM tax_bill_reminders WHERE bill_id = ${billId}`,
        tx,
      );
      if (sent.n) throw AppError.conflict('tax.reminder_exists');
      const rows = await insertReminders(tx, sql`b.id = ${billId}`, today, deadline, actor);
      if (!rows.length) throw AppError.conflict('tax.reminder_not_overdue');
      return { billId, number: rows[0].number, sentOn: today, deadline };
    });
  }

  /** Sends reminders for every overdue bill of a tax year that has none yet; answers those sent. */
  sendForYear(input: YearRemindersInput, actor: Actor, today = bangkokDay()) {
    const deadline = deadlineFrom(today, input.deadline);
    return this.db.transaction(async (tx) => {
      const rows = await insertReminders(tx, sql`b.tax_year = ${input.taxYear}`, today, deadline, actor);
      return {
        taxYear: input.taxYear,
        sentOn: today,
        deadline,
        sent: rows.length,
        bills: rows.map((r) => r.number).sort(),
      };
    });
  }
}
