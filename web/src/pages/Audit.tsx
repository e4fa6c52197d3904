import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useMe } from '../session.ts';
import { ErrorState, Spinner } from '../ui/States.tsx';
import { Table } from '../ui/Table.tsx';

interface Row {
  id: string;
  at: string;
  actorLabel: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  ip: string | null;
}

const pageSize = 25;

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const [page, setPage] = useState(0);
  const allowed = me?.role === 'admin' || me?.role === 'executive';
  const log = useQuery({
    queryKey: ['audit', page],
    queryFn: () =>
      api<{ items: Row[]; total: number }>('GET', `/api/audit?limit=${pageSize}&offset=${page * pageSize}`),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });
  if (!allowed) {
    return (
      <section>
        <h1>{t('audit.title')}</h1>
        <p role="alert">{t('audit.forbidden')}</p>
      </section>
    );
  }
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p>
        <a className="btn btn-secondary" href="/api/audit/export.csv" download>
          {t('audit.export')}
        </a>
      </p>
      {log.isPending && <Spinner />}
      {log.isError && <ErrorState error={log.error} />}
      {log.data && (
        <Table
          caption={t('audit.title')}
          rows={log.data.items}
          rowKey={(r) => r.id}
          pageSize={pageSize}
          server={{ total: log.data.total, page, onPage: setPage }}
          columns={[
            {
              key: 'at',
              header: t('audit.at'),
              cell: (r) => formatDate(r.at, i18n.language),
              sortValue: (r) => r.at,
            },
            {
              key: 'actor',
              header: t('audit.actor'),
              cell: (r) => r.actorLabel ?? '—',
              sortValue: (r) => r.actorLabel ?? '',
            },
            {
              key: 'action',
              header: t('audit.action'),
              cell: (r) => <code>{r.action}</code>,
              sortValue: (r) => r.action,
            },
            {
              key: 'resource',
              header: t('audit.resource'),
              cell: (r) => `${r.resourceType}${r.resourceId ? ` ${r.resourceId.slice(0, 8)}` : ''}`,
            },
            { key: 'ip', header: t('audit.ip'), cell: (r) => r.ip ?? '—' },
          ]}
        />
      )}
    </section>
  );
}
