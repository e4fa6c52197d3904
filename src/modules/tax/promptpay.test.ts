import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  billPaymentPayload,
  crc16,
  PromptPayError,
  parsePayload,
  qrPng,
  transferPayload,
} from './promptpay.ts';

// jsqr is CommonJS; under NodeNext its default import is typed as the module namespace.
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

describe('PromptPay (Thai QR) payloads', () => {
  it('matches the published bill-payment vector (CRC 3ACE)', () => {
    const payload = billPaymentPayload({
      billerId: '0000000000001',
      ref1: '6300002',
      ref2: '121214564541',
      amount: 100.35,
    });
    expect(payload).toBe(
      '00020101021130640016A0000006770101120113000000000000102076300002031212121456454153037645406100.355802TH63043ACE',
    );
    expect(payload.endsWith('3ACE')).toBe(true);
  });

  it('matches the published mobile-number transfer vector', () => {
    expect(transferPayload({ proxy: '080-123-4567' })).toBe(
      '00020101021129370016A000000677010111011300668012345675802TH530376463046197',
    );
  });

  it('computes CRC-16/CCITT-FALSE', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  it('parses its own payloads and refuses a damaged one', () => {
    const payload = billPaymentPayload({
      billerId: '099400016543201',
      ref1: 'KK2569000123',
      ref2: '2569LB',
      amount: 1234.5,
    });
    const fields = parsePayload(payload);
    expect(fields.get('54')).toBe('1234.50');
    expect(fields.get('53')).toBe('764');
    expect(fields.get('58')).toBe('TH');
    expect(fields.get('30')).toContain('0212KK2569000123');
    expect(() => parsePayload(payload.replace('1234.50', '1234.60'))).toThrow(/CRC/);
    expect(() => parsePayload('00XX')).toThrow(PromptPayError);
  });

  it.each([
    [{ billerId: '123', ref1: 'A' }, /biller/],
    [{ billerId: '0000000000001', ref1: 'lower-case' }, /ref1/],
    [{ billerId: '0000000000001', ref1: 'A', ref2: 'x'.repeat(21) }, /ref2/],
    [{ billerId: '0000000000001', ref1: 'A', amount: 0 }, /amount/],
    [{ billerId: '0000000000001', ref1: 'A', amount: 1.005 }, /decimals/],
    [{ billerId: '0000000000001', ref1: 'A', amount: Number.NaN }, /amount/],
  ])('refuses %o', (input, message) => {
    expect(() => billPaymentPayload(input)).toThrow(message);
  });

  it('draws a QR code that decodes back to the payload', async () => {
    const payload = billPaymentPayload({
      billerId: '0000000000001',
      ref1: '6300002',
      ref2: '121214564541',
      amount: 100.35,
    });
    const png = PNG.sync.read(await qrPng(payload));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(payload);
  });
});
