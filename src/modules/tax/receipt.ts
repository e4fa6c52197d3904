import QRCode from 'qrcode';
import { bahtText } from './baht-text.ts';
import { bahtFigure, letterhead, type Municipality, newDocument, thaiDate, write } from './pdf.ts';
import type { BillRow, InstalmentRow } from './repository.ts';

/** What one receipt acknowledges: the tax of a whole bill or of one instalment, and its late charges. */
interface Received {
  receiptNo: string;
  paidAt: string | null;
  taxSatang: number;
  surchargeSatang: number;
  penaltySatang: number;
  /** The instalment's line (Thai, with English), for a receipt of one instalment. */
  part?: string;
}

/**
 * A Thai receipt for a paid bill: Buddhist-Era date, the municipality, the working, the late charges
 * paid with it, and a QR to verify it.
 */
export function receiptPdf(bill: BillRow, verifyUrl: string, municipality: Municipality): Promise<Buffer> {
  return receiptDocument(
    bill,
    {
      receiptNo: `${bill.number}R`,
      paidAt: bill.paidAt,
      taxSatang: bill.amountSatang,
      surchargeSatang: bill.surchargePaidSatang,
      penaltySatang: bill.penaltyPaidSatang,
    },
    verifyUrl,
    municipality,
  );
}

/**
 * The receipt of one paid instalment, in the bill's layout: it names the instalment (n of all), its
 * tax and the late charges paid with it, so each payment a citizen makes has its own receipt.
 */
export function instalmentReceiptPdf(
  bill: BillRow,
  part: InstalmentRow & { of: number; surchargeSatang: number; penaltySatang: number },
  verifyUrl: string,
  municipality: Municipality,
): Promise<Buffer> {
  return receiptDocument(
    bill,
    {
      receiptNo: `${part.number}R`,
      paidAt: part.paidAt,
      taxSatang: part.amountSatang,
      surchargeSatang: part.surchargeSatang,
      penaltySatang: part.penaltySatang,
      part: `งวดที่ ${part.seq}/${part.of} (Instalment ${part.seq} of ${part.of})   ค่าภาษีงวดนี้ ${bahtFigure(part.amountSatang)} บาท จากค่าภาษีทั้งสิ้น ${bahtFigure(bill.amountSatang)} บาท`,
    },
    verifyUrl,
    municipality,
  );
}

async function receiptDocument(
  bill: BillRow,
  r: Received,
  verifyUrl: string,
  municipality: Municipality,
): Promise<Buffer> {
  const { doc, done } = newDocument(`ใบเสร็จรับเงิน ${r.receiptNo}`, municipality.nameTh);
  letterhead(doc, municipality);
  doc.moveDown();
  write(doc, 'ใบเสร็จรับเงิน (Receipt)', 18, true);
  write(doc, `เลขที่ใบเสร็จ ${r.receiptNo}   วันที่ชำระ ${r.paidAt ? thaiDate(new Date(r.paidAt)) : '-'}`, 12);
  // The name the bill was paid under: a later correction of the owner's record does not rewrite a receipt.
  write(doc, `ผู้ชำระภาษี ${bill.payerName ?? bill.ownerName}`, 12);
  write(
    doc,
    `${bill.taxKind === 'sign' ? 'ภาษีป้าย' : 'ภาษีที่ดินและสิ่งปลูกสร้าง'} ปีภาษี ${bill.taxYear}   เลขที่ใบแจ้ง ${bill.number}`,
    12,
  );
  if (r.part) write(doc, r.part, 12);
  doc.moveDown();
  write(doc, 'รายการคำนวณ', 13, true);
  for (const line of bill.working) write(doc, `• ${line.th}  —  ${bahtFigure(line.satang)} บาท`, 11);
  doc.moveDown();
  const paid = r.taxSatang + r.surchargeSatang + r.penaltySatang;
  if (paid !== r.taxSatang || r.part) {
    write(doc, `ค่าภาษี (Tax) ${bahtFigure(r.taxSatang)} บาท`, 12);
    if (r.surchargeSatang) write(doc, `เงินเพิ่ม (Surcharge) ${bahtFigure(r.surchargeSatang)} บาท`, 12);
    if (r.penaltySatang) write(doc, `เบี้ยปรับ (Penalty) ${bahtFigure(r.penaltySatang)} บาท`, 12);
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
