import { parse } from 'csv-parse/sync';
import { Value } from 'typebox/value';
import { type RowReason, reason, schemaReason } from './import-reasons.ts';
import { PaymentBody, type PaymentInput } from './schemas.ts';

/** A statement row: the payment it holds, or why it was refused (a code the screen says in Thai). */
export interface StatementRow {
  line: number;
  payment?: PaymentInput;
  reason?: RowReason;
}

const columns = ['transactionId', 'billNumber', 'amount', 'paidAt'] as const;

/**
 * A bank statement as CSV: `transactionId,billNumber,amount,paidAt` (a header row with these names
 * is optional). Each row is checked against the same schema as the webhook; bad rows are reported by
 * line and never stop the good ones.
 */
export function parseStatement(text: string): StatementRow[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as string[][];
  const rows: StatementRow[] = [];
  records.forEach((record, i) => {
    const line = i + 1;
    if (i === 0 && record[0]?.toLowerCase() === 'transactionid') return;
    if (record.length !== columns.length) {
      rows.push({
        line,
        reason: reason('statement_columns', { expected: columns.length, got: record.length }),
      });
      return;
    }
    const candidate = Object.fromEntries(columns.map((c, k) => [c, record[k]]));
    if (!Value.Check(PaymentBody, candidate)) {
      const first = [...Value.Errors(PaymentBody, candidate)][0];
      rows.push({
        line,
        reason: first
          ? schemaReason(first)
          : { code: 'invalid', params: { column: '', rule: 'other' }, error: 'row: not valid' },
      });
      return;
    }
    rows.push({ line, payment: candidate as PaymentInput });
  });
  return rows;
}
