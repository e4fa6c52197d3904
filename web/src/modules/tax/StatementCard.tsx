import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Card, ErrorState } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { type RowError, reasonText } from './row-reasons.ts';

/** How a statement row was reconciled (src/modules/tax/payments.ts), or why it was refused. */
type Result =
  | {
      line: number;
      status: 'matched' | 'unknown_bill' | 'amount_mismatch' | 'already_paid';
      duplicate: boolean;
    }
  | RowError;

interface Reconciled {
  rows: number;
  matched: number;
  results: Result[];
}

/** Upload the bank's statement (CSV); each row is reconciled like a webhook call and its outcome listed. */
export function StatementCard() {
  const { t, i18n } = useTranslation();
  const [done, setDone] = useState<Reconciled | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function upload(file: File) {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const csrf = (await api<{ csrfToken: string | null }>('GET', '/api/me')).csrfToken ?? '';
      const res = await fetch('/api/tax/payments/statement', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf, 'accept-language': i18n.language },
        body: await file.text(),
      });
      if (!res.ok) throw new ProblemError(await res.json());
      setDone((await res.json()) as Reconciled);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const outcome = (r: Result) => {
    if (!('status' in r)) return reasonText(t, r);
    if (r.duplicate) return t('tax.statement.results.duplicate');
    return t(`tax.statement.results.${r.status}`);
  };

  return (
    <Card>
      <h2>{t('tax.statement.title')}</h2>
      <p className="hint" id="statement-hint">
        {t('tax.statement.hint')}
      </p>
      <div className="field">
        <label htmlFor="statement-file">{t('tax.statement.file')}</label>
        <input
          id="statement-file"
          type="file"
          accept=".csv,text/csv"
          data-testid="statement-file"
          aria-describedby="statement-hint"
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void upload(file);
          }}
        />
      </div>
      {error !== null && <ErrorState error={error} />}
      {done && (
        <div role="status" data-testid="statement-status">
          <p>{t('tax.statement.summary', { rows: done.rows, matched: done.matched })}</p>
          {done.results.length > 0 && (
            <Table
              caption={t('tax.statement.results.caption')}
              rows={done.results}
              rowKey={(r) => String(r.line)}
              columns={[
                { key: 'line', header: t('tax.import.line'), cell: (r) => r.line, sortValue: (r) => r.line },
                { key: 'outcome', header: t('tax.statement.outcome'), cell: outcome },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}
