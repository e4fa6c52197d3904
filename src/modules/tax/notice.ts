import { bahtText } from './baht-text.ts';
import type { YearLateRule } from './late.ts';
import { bahtFigure, letterhead, type Municipality, newDocument, thaiDay, write } from './pdf.ts';
import { qrPng } from './promptpay.ts';
import type { BillRow } from './repository.ts';
import type { TaxService } from './service.ts';

type BillView = Awaited<ReturnType<TaxService['view']>>;

const kindTh = (kind: string) => (kind === 'sign' ? 'ภาษีป้าย' : 'ภาษีที่ดินและสิ่งปลูกสร้าง');
const kindEn = (kind: string) => (kind === 'sign' ? 'Signboard tax' : 'Land and building tax');

/**
 * The payment notice (ใบแจ้งการประเมินและชำระภาษี) of an open or nothing-due bill, Thai first with
 * English: the municipality, the taxpayer, the working, the due date (Buddhist Era), the amount due on
 * the day it is made (with late charges past the due date, late.ts) and the PromptPay QR of the very
 * payload the screen shows (`view.promptpay`, or the next open instalment's).
 */
export async function noticePdf(
  bill: BillRow,
  view: BillView,
  rule: YearLateRule,
  municipality: Municipality,
): Promise<Buffer> {
  const { doc, done } = newDocument(`ใบแจ้งชำระภาษี ${bill.number}`, municipality.nameTh);
  letterhead(doc, municipality);
  doc.moveDown();
  write(doc, 'ใบแจ้งการประเมินและชำระภาษี (Tax bill and payment notice)', 17, true);
  write(
    doc,
    `${kindTh(bill.taxKind)} ปีภาษี ${bill.taxYear} (${kindEn(bill.taxKind)}, tax year ${bill.taxYear} B.E.)`,
    12,
  );
  write(doc, `เลขที่ใบแจ้ง (Bill no.) ${bill.number}   ออก ณ วันที่ (As of) ${thaiDay(view.asOf)}`, 12);
  write(doc, `ผู้มีหน้าที่เสียภาษี (Taxpayer) ${bill.ownerName}`, 12);
  write(doc, `กำหนดชำระภายในวันที่ (Due date) ${thaiDay(bill.dueDate)}`, 12, true);
  doc.moveDown();
  write(doc, 'รายการคำนวณ (Working)', 13, true);
  for (const line of bill.working) {
    write(doc, `• ${line.th}  —  ${bahtFigure(line.satang)} บาท`, 11);
    write(doc, `  ${line.en}`, 9);
  }
  doc.moveDown();
  write(doc, `ค่าภาษี (Tax) ${bahtFigure(bill.amountSatang)} บาท`, 12);
  if (view.monthsLate > 0) {
    write(doc, `เลยกำหนดชำระ ${view.monthsLate} เดือน (${view.monthsLate} month(s) past the due date)`, 12);
    if (view.surchargeSatang) write(doc, `เงินเพิ่ม (Surcharge) ${bahtFigure(view.surchargeSatang)} บาท`, 12);
    if (view.penaltySatang) write(doc, `เบี้ยปรับ (Penalty) ${bahtFigure(view.penaltySatang)} บาท`, 12);
  }
  if (view.amountDueSatang === 0) {
    write(doc, 'ไม่มีภาษีที่ต้องชำระ (Nothing to pay)', 14, true);
    doc.end();
    return done;
  }
  write(doc, `ยอดที่ต้องชำระ ณ วันที่ ${thaiDay(view.asOf)}  ${bahtFigure(view.amountDueSatang)} บาท`, 14, true);
  write(doc, `(${bahtText(view.amountDueSatang)})`, 12);
  write(doc, `Amount due on ${view.asOf}: ${view.amountDueBaht} baht`, 10);
  const reduced =
    rule.penaltyBeforeReminderPercent !== undefined && rule.penaltyWithinReminderPercent !== undefined;
  write(
    doc,
    `ชำระหลังกำหนดต้องเสียเงินเพิ่มร้อยละ ${rule.surchargePercentPerMonth} ต่อเดือน${rule.penaltyPercent ? ` และเบี้ยปรับร้อยละ ${rule.penaltyPercent}` : ''}${reduced ? ` (ร้อยละ ${rule.penaltyBeforeReminderPercent} หากชำระก่อนได้รับหนังสือแจ้งเตือน ร้อยละ ${rule.penaltyWithinReminderPercent} หากชำระภายในเวลาที่หนังสือแจ้งเตือนกำหนด)` : ''} ยอดจึงเปลี่ยนตามวันที่ชำระ`,
    10,
  );
  write(
    doc,
    `Paid after the due date, a surcharge of ${rule.surchargePercentPerMonth}% a month${rule.penaltyPercent ? ` and a ${rule.penaltyPercent}% penalty${reduced ? ` (${rule.penaltyBeforeReminderPercent}% if paid before the municipality's reminder, ${rule.penaltyWithinReminderPercent}% if paid within the time it sets)` : ''} are` : ' is'} added, so the amount depends on the day of payment.`,
    9,
  );
  if (view.reminder)
    write(
      doc,
      `หนังสือแจ้งเตือนส่งเมื่อ ${thaiDay(view.reminder.sentOn)} ให้ชำระภายใน ${thaiDay(view.reminder.deadline)} (Reminder sent ${view.reminder.sentOn}: pay by ${view.reminder.deadline})`,
      11,
      true,
    );
  if (view.instalmentsLapsed)
    write(
      doc,
      'ไม่ได้ชำระงวดตามกำหนด จึงหมดสิทธิผ่อนชำระ ภาษีที่เหลือต้องชำระในคราวเดียวพร้อมเงินเพิ่มและเบี้ยปรับ (An instalment was missed: the rest is due at once with the late charges)',
      11,
    );
  doc.moveDown();
  const open = view.instalments.filter((i) => i.status === 'open');
  if (view.instalments.length) {
    write(doc, 'ผ่อนชำระ (Instalments)', 13, true);
    for (const i of view.instalments)
      write(
        doc,
        `งวดที่ ${i.seq} (${i.number}) กำหนด ${thaiDay(i.dueDate)}  ${bahtFigure(i.amountDueSatang)} บาท  ${i.status === 'paid' ? 'ชำระแล้ว (paid)' : 'ยังไม่ชำระ (open)'}`,
        11,
      );
    doc.moveDown();
  }
  const byInstalment = view.instalments.length > 0 && !view.instalmentsLapsed;
  const next = byInstalment ? open[0] : undefined;
  const payload = byInstalment ? next?.promptpay : view.promptpay;
  if (payload) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 220) doc.addPage();
    write(
      doc,
      next
        ? `สแกนจ่ายงวดที่ ${next.seq} ด้วยแอปธนาคาร (PromptPay bill payment, instalment ${next.seq})`
        : 'สแกนจ่ายด้วยแอปธนาคาร (Pay with any Thai banking app: PromptPay bill payment)',
      12,
      true,
    );
    const y = doc.y + 4;
    doc.image(await qrPng(payload, 360), doc.page.margins.left, y, { width: 150 });
    doc.y = y + 156;
    write(doc, `Ref. 1 ${next?.number ?? bill.number}`, 10);
    write(doc, payload, 7);
  }
  doc.end();
  return done;
}
