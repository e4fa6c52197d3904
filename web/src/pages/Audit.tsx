import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useMe } from '../session.ts';
import { LazyChart } from '../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../ui/States.tsx';
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
  const activity = useQuery({
    queryKey: ['audit-activity'],
    queryFn: () => api<{ day: string; count: number }[]>('GET', '/api/audit/activity?days=14'),
    enabled: allowed,
  });
  const option = useMemo(
    () =>
      activity.data && {
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        tooltip: { trigger: 'axis' as const },
        xAxis: {
          type: 'category' as const,
          data: activity.data.map((d) => formatDate(`${d.day}T12:00:00+07:00`, i18n.language, false)),
        },
        yAxis: { type: 'value' as const, minInterval: 1 },
        series: [
          {
            type: 'bar' as const,
            name: t('audit.entries'),
            data: activity.data.map((d) => d.count),
            itemStyle: { color: '#0b5394' },
          },
        ],
      },
    [activity.data, i18n.language, t],
  );
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
      <Card>
        <h2>{t('audit.activity')}</h2>
        {activity.isError && <ErrorState error={activity.error} />}
        {option && (
          <LazyChart
            option={option}
            height={220}
            label={`${t('audit.activity')}: ${activity.data?.map((d) => `${d.day} ${d.count}`).join(', ')}`}
          />
        )}
      </Card>
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
