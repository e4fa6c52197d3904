import { describe, expect, it } from 'vitest';
import { parseStatement } from './statement.ts';

describe('bank statement rows', () => {
  it('gives each refused row a stable code with the values it names, and keeps the good ones', () => {
    const rows = parseStatement(
      [
        '\uFEFFtransactionId,billNumber,amount,paidAt',
        'T-1,LB2569000001,1200.50,2026-11-20T10:00:00+07:00',
        'T-2,LB2569000002,12.00,not-a-date',
        'T-3,too,few',
        'T-4,lb-lower,5.00,2026-11-20T10:00:00Z',
        'T-5,LB2569000005,5.001,2026-11-20T10:00:00Z',
        ',LB2569000006,5.00,2026-11-20T10:00:00Z',
      ].join('\n'),
    );
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(rows[0]).toEqual({
      line: 2,
      payment: {
        transactionId: 'T-1',
        billNumber: 'LB2569000001',
        amount: '1200.50',
        paidAt: '2026-11-20T10:00:00+07:00',
      },
    });
    expect(rows[1].reason).toEqual({
      code: 'invalid',
      params: { column: 'paidAt', rule: 'format', format: 'date-time' },
      error: expect.stringMatching(/^paidAt: /),
    });
    expect(rows[2].reason).toEqual({
      code: 'statement_columns',
      params: { expected: 4, got: 3 },
      error: 'expected 4 columns, got 3',
    });
    expect(rows[3].reason).toMatchObject({
      code: 'invalid',
      params: { column: 'billNumber', rule: 'pattern' },
    });
    expect(rows[4].reason).toMatchObject({ code: 'invalid', params: { column: 'amount', rule: 'pattern' } });
    expect(rows[5].reason).toMatchObject({
      code: 'invalid',
      params: { column: 'transactionId', rule: 'minLength', limit: 1 },
    });
    for (const r of rows.slice(1)) expect(r.payment).toBeUndefined();
  });

  it('reads a statement without a header from its first line', () => {
    const rows = parseStatement('T-9,LB2569000009,1.00,2026-11-20T10:00:00Z\n');
    expect(rows).toEqual([{ line: 1, payment: expect.objectContaining({ transactionId: 'T-9' }) }]);
  });
});
