import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { billPaymentPayload, qrPng } from './promptpay.ts';

export const promptpayUsage =
  'promptpay --biller ID --ref1 R1 [--ref2 R2] [--amount BAHT] [--png FILE]\n                             print a PromptPay bill-payment payload, or write its QR as PNG';

/** `mueang promptpay …`: the payload on stdout; with --png, the QR image too. */
export async function promptpayCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      biller: { type: 'string' },
      ref1: { type: 'string' },
      ref2: { type: 'string' },
      amount: { type: 'string' },
      png: { type: 'string' },
    },
  });
  if (!values.biller || !values.ref1) {
    console.error(`Usage: mueang ${promptpayUsage}`);
    return 2;
  }
  const amount = values.amount === undefined ? undefined : Number(values.amount);
  if (amount !== undefined && Number.isNaN(amount)) {
    console.error('--amount must be a number of baht, e.g. 100.35');
    return 2;
  }
  const payload = billPaymentPayload({
    billerId: values.biller,
    ref1: values.ref1,
    ref2: values.ref2,
    amount,
  });
  console.log(payload);
  if (values.png) {
    writeFileSync(values.png, await qrPng(payload));
    console.error(`QR written to ${values.png}`);
  }
  return 0;
}
