import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { reasonCodes } from '../../../../src/modules/tax/import-reasons.ts';
import { parseStatement } from '../../../../src/modules/tax/statement.ts';
import en from '../../locales/en.json' with { type: 'json' };
import th from '../../locales/th.json' with { type: 'json' };
import { reasonText } from './row-reasons.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { th: { translation: th }, en: { translation: en } },
    lng: 'th',
    fallbackLng: 'th',
    interpolation: { escapeValue: false },
  });
});

describe('refused file rows on screen', () => {
  it('has Thai and English words for every code the server refuses a row with', () => {
    const missing = reasonCodes.filter(
      (code) => !(code in th.tax.import.codes) || !(code in en.tax.import.codes),
    );
    expect(missing).toEqual([]);
  });

  it('says a bank statement row’s reason in Thai or English from its code, not the English sentence', () => {
    const rows = parseStatement(
      ['T-1,LB1,12.00,not-a-date', 'T-2,too,few', 'T-3,lb-1,1.00,2026-11-20T10:00:00Z'].join('\n'),
    );
    const reasons = rows.map((r) => r.reason!);
    const thai = i18n.getFixedT('th');
    expect(reasons.map((r) => reasonText(thai, r))).toEqual([
      'paidAt: ไม่ใช่ date-time ที่ถูกต้อง',
      'แถวของรายการเดินบัญชีต้องมี 4 คอลัมน์ (transactionId, billNumber, amount, paidAt) แต่แถวนี้มี 3 คอลัมน์',
      'billNumber: รูปแบบไม่ถูกต้อง',
    ]);
    const english = i18n.getFixedT('en');
    expect(reasonText(english, reasons[1])).toBe(
      'a statement row has 4 columns (transactionId, billNumber, amount, paidAt); this one has 3',
    );
    expect(reasonText(english, reasons[0])).toBe('paidAt: not a valid date-time');
  });

  it('falls back to the English sentence for a row refused before codes existed', () => {
    expect(reasonText(i18n.getFixedT('th'), { error: 'row: not valid' })).toBe('row: not valid');
  });
});
