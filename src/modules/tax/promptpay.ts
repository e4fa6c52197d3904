import QRCode from 'qrcode';

/**
 * Thai QR (PromptPay) payloads: EMVCo merchant-presented QR with the Bank of Thailand's tags.
 * Tag 29 is a credit transfer (mobile number, national ID or tax ID), tag 30 a bill payment to a
 * biller (the municipality) with references; 53 currency (764 baht), 54 amount, 58 country, 63 CRC.
 */

const transferAid = 'A000000677010111';
const billPaymentAid = 'A000000677010112';

export class PromptPayError extends Error {
  override name = 'PromptPayError';
}

function tlv(id: string, value: string): string {
  if (value.length > 99) throw new PromptPayError(`tag ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as four upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function withCrc(body: string): string {
  const open = `${body}6304`;
  return open + crc16(open);
}

function amountField(amount: number | undefined): string {
  if (amount === undefined) return '';
  if (!Number.isFinite(amount) || amount < 0.01 || amount > 9_999_999_999.99) {
    throw new PromptPayError('amount must be between 0.01 and 9,999,999,999.99 baht');
  }
  if (Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6)
    throw new PromptPayError('amount has more than two decimals');
  return tlv('54', amount.toFixed(2));
}

const reference = /^[0-9A-Z]{1,20}$/;

export interface BillPayment {
  /** The biller ID registered with the bank: the municipality's 13-digit tax ID and a 2-digit suffix (13–15 digits). */
  billerId: string;
  /** Reference 1: the bill number. */
  ref1: string;
  /** Reference 2: e.g. the tax year and type. */
  ref2?: string;
  amount?: number;
}

export function billPaymentPayload({ billerId, ref1, ref2, amount }: BillPayment): string {
  if (!/^[0-9]{13,15}$/.test(billerId)) throw new PromptPayError('biller ID must be 13 to 15 digits');
  if (!reference.test(ref1)) throw new PromptPayError('ref1 must be 1–20 characters A–Z, 0–9');
  if (ref2 !== undefined && ref2 !== '' && !reference.test(ref2))
    throw new PromptPayError('ref2 must be 1–20 characters A–Z, 0–9');
  const account =
    tlv('00', billPaymentAid) + tlv('01', billerId) + tlv('02', ref1) + (ref2 ? tlv('03', ref2) : '');
  return withCrc(
    tlv('00', '01') +
      tlv('01', '11') +
      tlv('30', account) +
      tlv('53', '764') +
      amountField(amount) +
      tlv('58', 'TH'),
  );
}

export interface Transfer {
  /** A Thai mobile number (0812345678) or a 13-digit national ID / tax ID. */
  proxy: string;
  amount?: number;
}

export function transferPayload({ proxy, amount }: Transfer): string {
  const digits = proxy.replace(/[\s-]/g, '');
  let account: string;
  if (/^0[0-9]{9}$/.test(digits)) account = tlv('01', `0066${digits.slice(1)}`);
  else if (/^[0-9]{13}$/.test(digits)) account = tlv('02', digits);
  else throw new PromptPayError('proxy must be a Thai mobile number or a 13-digit ID');
  const initiation = amount === undefined ? '11' : '12';
  return withCrc(
    tlv('00', '01') +
      tlv('01', initiation) +
      tlv('29', tlv('00', transferAid) + account) +
      tlv('58', 'TH') +
      tlv('53', '764') +
      amountField(amount),
  );
}

/** Splits a payload into its top-level tags, checking the CRC; throws on a malformed payload. */
export function parsePayload(payload: string): Map<string, string> {
  const fields = new Map<string, string>();
  let i = 0;
  while (i < payload.length) {
    const id = payload.slice(i, i + 2);
    const length = Number(payload.slice(i + 2, i + 4));
    if (!/^[0-9]{2}$/.test(id) || !Number.isInteger(length) || i + 4 + length > payload.length)
      throw new PromptPayError(`malformed field at ${i}`);
    fields.set(id, payload.slice(i + 4, i + 4 + length));
    i += 4 + length;
  }
  const crc = fields.get('63');
  if (!crc || crc16(payload.slice(0, -4)) !== crc) throw new PromptPayError('CRC does not match');
  return fields;
}

/** The QR code as a PNG image (error correction M, as Thai banking apps expect). */
export function qrPng(payload: string, width = 512): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width });
}

export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
