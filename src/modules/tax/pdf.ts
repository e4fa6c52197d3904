import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Municipality } from './municipality.ts';

const require = createRequire(import.meta.url);
// Sarabun (SIL Open Font License) in two subsets: Thai and Latin. PDF fonts have no fallback, so
// each run of text is set in the subset that holds its script.
const fonts = {
  thai: require.resolve('@fontsource/sarabun/files/sarabun-thai-400-normal.woff'),
  latin: require.resolve('@fontsource/sarabun/files/sarabun-latin-400-normal.woff'),
  thaiBold: require.resolve('@fontsource/sarabun/files/sarabun-thai-700-normal.woff'),
  latinBold: require.resolve('@fontsource/sarabun/files/sarabun-latin-700-normal.woff'),
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

export type { Municipality } from './municipality.ts';

export type Doc = InstanceType<typeof PDFDocument>;

export function write(
  doc: Doc,
  text: string,
  size: number,
  bold = false,
  options: PDFKit.Mixins.TextOptions = {},
) {
  const runs = scriptRuns(text);
  runs.forEach((run, i) => {
    doc.font(run.thai ? (bold ? 'thaiBold' : 'thai') : bold ? 'latinBold' : 'latin').fontSize(size);
    doc.text(run.text, { ...options, continued: i < runs.length - 1 });
  });
}

/** A Buddhist-Era date in Thai, e.g. 30 เมษายน 2569 (with the time when asked). */
export const thaiDate = (d: Date, withTime = true) =>
  new Intl.DateTimeFormat('th-TH-u-ca-buddhist', {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Asia/Bangkok',
  }).format(d);

/** A YYYY-MM-DD calendar day in Thai with its Buddhist-Era year. */
export const thaiDay = (day: string) => thaiDate(new Date(`${day}T12:00:00+07:00`), false);

export const bahtFigure = (satang: number) =>
  (satang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An A4 document with the Thai fonts, and the promise of its bytes once `end()` is called. */
export function newDocument(title: string, author: string): { doc: Doc; done: Promise<Buffer> } {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: title, Author: author } });
  for (const [name, file] of Object.entries(fonts)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

/** The letterhead: the municipality's names, address, tax ID and phone (those configured). */
export function letterhead(doc: Doc, m: Municipality) {
  write(doc, m.nameTh, 20, true);
  write(doc, m.nameEn, 11);
  write(doc, m.addressTh, 10);
  write(doc, m.addressEn, 10);
  const contact = [
    m.taxId ? `เลขประจำตัวผู้เสียภาษี (Tax ID) ${m.taxId}` : '',
    m.phone ? `โทร (Tel.) ${m.phone}` : '',
  ].filter(Boolean);
  if (contact.length) write(doc, contact.join('   '), 10);
}
