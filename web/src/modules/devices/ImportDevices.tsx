import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Card, ErrorState } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';

interface ImportStatus {
  id: string;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  total: number;
  processed: number;
  imported: number;
  errors: {
    row: number;
    column: string | null;
    code?: string;
    params?: Record<string, string | number>;
    message: string;
  }[];
}

/** Upload a CSV of devices, then watch its progress and its row-by-row errors (the tax import's pattern). */
export function ImportDevices() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [job, setJob] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!job) return;
    if (job.status !== 'running') {
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
      return;
    }
    const timer = setTimeout(async () => {
      try {
        setJob(await api<ImportStatus>('GET', `/api/devices/imports/${job.id}`));
      } catch (e) {
        setError(e);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [job, queryClient]);

  async function upload(file: File) {
    setError(null);
    setJob(null);
    try {
      const csrf = (await api<{ csrfToken: string | null }>('GET', '/api/me')).csrfToken ?? '';
      const res = await fetch('/api/devices/import', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf, 'accept-language': i18n.language },
        body: await file.text(),
      });
      if (!res.ok) throw new ProblemError(await res.json());
      const started = (await res.json()) as { id: string; total: number };
      setJob({
        id: started.id,
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
      <h2>{t('devices.import.title')}</h2>
      <p className="hint" id="device-import-hint">
        {t('devices.import.hint')}
      </p>
      <div className="field">
        <label htmlFor="device-import-file">{t('devices.import.file')}</label>
        <input
          id="device-import-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="device-import-hint"
          data-testid="device-import-file"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void upload(file);
          }}
        />
      </div>
      {error !== null && <ErrorState error={error} />}
      {job && (
        <div role="status" data-testid="device-import-status" data-state={job.status}>
          <label htmlFor="device-import-progress">
            {t(`devices.import.${job.status}`, { processed: job.processed, total: job.total })}
          </label>
          <progress id="device-import-progress" max={job.total} value={job.processed} />
          <p>{t('devices.import.summary', { imported: job.imported, errors: job.errors.length })}</p>
          {job.errors.length > 0 && (
            <Table
              caption={t('devices.import.errors')}
              rows={job.errors}
              rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
              columns={[
                { key: 'row', header: t('devices.import.row'), cell: (r) => r.row, sortValue: (r) => r.row },
                { key: 'column', header: t('devices.import.column'), cell: (r) => r.column ?? '—' },
                {
                  key: 'message',
                  header: t('devices.import.message'),
                  // Imports made before the codes existed have only the English sentence.
                  cell: (r) =>
                    r.code
                      ? t(`devices.import.codes.${r.code}`, { ...r.params, defaultValue: r.message })
                      : r.message,
                },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}
