import QRCode from 'qrcode';
import { bahtText } from './baht-text.ts';
import { bahtFigure, letterhead, type Municipality, newDocument, thaiDate, write } from './pdf.ts';
import type { BillRow } from './repository.ts';

/**
 * A Thai receipt for a paid bill: Buddhist-Era date, the municipality, the working, the late charges
 * paid with it, and a QR to verify it.
 */
export async function receiptPdf(
  bill: BillRow,
  verifyUrl: string,
  municipality: Municipality,
): Promise<Buffer> {
  const { doc, done } = newDocument(`ใบเสร็จรับเงิน ${bill.number}`, municipality.nameTh);
  letterhead(doc, municipality);
  doc.moveDown();
  write(doc, 'ใบเสร็จรับเงิน (Receipt)', 18, true);
  write(
    doc,
    `เลขที่ใบเสร็จ ${bill.number}R   วันที่ชำระ ${bill.paidAt ? thaiDate(new Date(bill.paidAt)) : '-'}`,
    12,
  );
  // The name the bill was paid under: a later correction of the owner's record does not rewrite a receipt.
  write(doc, `ผู้ชำระภาษี ${bill.payerName ?? bill.ownerName}`, 12);
  write(
    doc,
    `${bill.taxKind === 'sign' ? 'ภาษีป้าย' : 'ภาษีที่ดินและสิ่งปลูกสร้าง'} ปีภาษี ${bill.taxYear}   เลขที่ใบแจ้ง ${bill.number}`,
    12,
  );
  doc.moveDown();
  write(doc, 'รายการคำนวณ', 13, true);
  for (const line of bill.working) write(doc, `• ${line.th}  —  ${bahtFigure(line.satang)} บาท`, 11);
  doc.moveDown();
  const paid = bill.amountSatang + bill.surchargePaidSatang + bill.penaltyPaidSatang;
  if (paid !== bill.amountSatang) {
    write(doc, `ค่าภาษี (Tax) ${bahtFigure(bill.amountSatang)} บาท`, 12);
    if (bill.surchargePaidSatang)
      write(doc, `เงินเพิ่ม (Surcharge) ${bahtFigure(bill.surchargePaidSatang)} บาท`, 12);
    if (bill.penaltyPaidSatang) write(doc, `เบี้ยปรับ (Penalty) ${bahtFigure(bill.penaltyPaidSatang)} บาท`, 12);
  }
  write(doc, `จำนวนเงินที่ชำระ ${bahtFigure(paid)} บาท (${bahtText(paid)})`, 14, true);
  doc.moveDown();
  const qr = await QRCode.toBuffer(verifyUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 240,
  });
  const y = doc.y;
  doc.image(qr, doc.page.margins.left, y, { width: 110 });
  doc.y = y + 116;
  write(doc, `สแกนเพื่อตรวจสอบใบเสร็จนี้กับ${municipality.nameTh} (Scan to verify this receipt)`, 10);
  write(doc, verifyUrl, 8);
  doc.end();
  return done;
}
