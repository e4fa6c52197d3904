import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Card, ErrorState } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { type RowError, reasonText } from './row-reasons.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface ImportStatus {
  id: string;
  kind: Kind;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  total: number;
  processed: number;
  imported: number;
  errors: RowError[];
}

/** What can be imported; each kind has its own columns (named in the hint). */
const kinds = [
  'parcels',
  'buildings',
  'signs',
  'owners',
  'appraisals',
  'depreciation',
  'building-costs',
] as const;
type Kind = (typeof kinds)[number];

/** Upload a register file (parcels, buildings or signs), then watch its progress and its row-by-row errors. */
export function ImportCard() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<Kind>('parcels');
  const [job, setJob] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (job?.status !== 'running') return;
    const timer = setTimeout(async () => {
      try {
        setJob(await api<ImportStatus>('GET', `/api/tax/imports/${job.id}`));
      } catch (e) {
        setError(e);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);

  async function upload(file: File) {
    setError(null);
    setJob(null);
    try {
      const csrf = (await api<{ csrfToken: string | null }>('GET', '/api/me')).csrfToken ?? '';
      const excel = file.name.toLowerCase().endsWith('.xlsx');
      const res = await fetch(`/api/tax/imports/${kind}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': excel ? xlsxType : 'text/csv',
          'x-csrf-token': csrf,
          'accept-language': i18n.language,
        },
        body: excel ? file : await file.text(),
      });
      if (!res.ok) throw new ProblemError(await res.json());
      const started = (await res.json()) as { id: string; total: number };
      setJob({
        id: started.id,
        kind,
        status: 'running',
        total: started.total,
        processed: 0,
        imported: 0,
        errors: [],
      });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Card>
      <h2>{t('tax.import.title')}</h2>
      <div className="field">
        <label htmlFor="import-kind">{t('tax.import.kind')}</label>
        <select
          id="import-kind"
          data-testid="import-kind"
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as Kind)}
          aria-describedby="import-hint"
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`tax.import.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <p className="hint" id="import-hint">
        {t(`tax.import.hints.${kind}`)}
      </p>
      <div className="field">
        <label htmlFor="register-file">{t('tax.import.file')}</label>
        <input
          id="register-file"
          type="file"
          accept={`.csv,.xlsx,text/csv,${xlsxType}`}
          data-testid="import-file"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void upload(file);
          }}
        />
      </div>
      {error !== null && <ErrorState error={error} />}
      {job && (
        <div role="status" data-testid="import-status" data-state={job.status}>
          <label htmlFor="import-progress">
            {t(`tax.import.${job.status}`, { processed: job.processed, total: job.total })}
          </label>
          <progress id="import-progress" max={job.total} value={job.processed} />
          <p>
            {t(`tax.import.summaries.${job.kind}`, { imported: job.imported, errors: job.errors.length })}
          </p>
          {job.errors.length > 0 && (
            <Table
              caption={t('tax.import.errors')}
              rows={job.errors}
              rowKey={(r) => String(r.line)}
              columns={[
                { key: 'line', header: t('tax.import.line'), cell: (r) => r.line, sortValue: (r) => r.line },
                { key: 'error', header: t('tax.import.error'), cell: (r) => reasonText(t, r) },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}
