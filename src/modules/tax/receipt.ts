import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { bahtText } from './baht-text.ts';
import type { BillRow } from './repository.ts';

const require = createRequire(import.meta.url);
// Sarabun (SIL Open Font License) in two subsets: Thai and Latin. PDF fonts have no fallback, so
// each run of text is set in the subset that holds its script.
const fonts = {
  thai: require.resolve('@fontsource/sarabun/files/sarabun-thai-400-normal.woff'),
  latin: require.resolve('@fontsource/sarabun/files/sarabun-latin-400-normal.woff'),
  thaiBold: require.resolve('@fontsource/sarabun/files/sarabun-thai-700-normal.woff'),
  latinBold: require.resolve('@fontsource/sarabun/files/sarabun-latin-700-normal.woff'),
};

export const municipality = {
  nameTh: 'เทศบาลนครขอนแก่น',
  nameEn: 'Khon Kaen City Municipality',
  addressTh: 'เลขที่ 1 ถนนประชาสโมสร ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000',
};

/** Splits text into runs of Thai and non-Thai characters (spaces join the run before them). */
export function scriptRuns(text: string): { thai: boolean; text: string }[] {
  const runs: { thai: boolean; text: string }[] = [];
  for (const ch of text) {
    const thai = /[\u0E00-\u0E7F]/.test(ch);
    const last = runs.at(-1);
    if (last && (last.thai === thai || ch === ' ')) last.text += ch;
    else runs.push({ thai, text: ch });
  }
  return runs;
}

type Doc = InstanceType<typeof PDFDocument>;

function write(doc: Doc, text: string, size: number, bold = false, options: PDFKit.Mixins.TextOptions = {}) {
  const runs = scriptRuns(text);
  runs.forEach((run, i) => {
    doc.font(run.thai ? (bold ? 'thaiBold' : 'thai') : bold ? 'latinBold' : 'latin').fontSize(size);
    doc.text(run.text, { ...options, continued: i < runs.length - 1 });
  });
}

const thaiDate = (d: Date) =>
  new Intl.DateTimeFormat('th-TH-u-ca-buddhist', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Bangkok',
  }).format(d);

/** A Thai receipt for a paid bill: Buddhist-Era date, the municipality, the working, and a QR to verify it. */
export async function receiptPdf(bill: BillRow, verifyUrl: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `ใบเสร็จรับเงิน ${bill.number}`, Author: municipality.nameTh },
  });
  for (const [name, file] of Object.entries(fonts)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  write(doc, municipality.nameTh, 20, true);
  write(doc, municipality.nameEn, 11);
  write(doc, municipality.addressTh, 11);
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
  for (const line of bill.working)
    write(
      doc,
      `• ${line.th}  —  ${(line.satang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2 })} บาท`,
      11,
    );
  doc.moveDown();
  write(
    doc,
    `จำนวนเงินที่ชำระ ${(bill.amountSatang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2 })} บาท (${bahtText(bill.amountSatang)})`,
    14,
    true,
  );
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
  write(doc, 'สแกนเพื่อตรวจสอบใบเสร็จนี้กับเทศบาล (Scan to verify this receipt)', 10);
  write(doc, verifyUrl, 8);
  doc.end();
  return done;
}
