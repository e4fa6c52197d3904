import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useMe } from '../session.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorState, Spinner } from '../ui/States.tsx';
import { Table } from '../ui/Table.tsx';
import { TextField } from '../ui/TextField.tsx';
import { AuditActivity } from './AuditActivity.tsx';

interface Row {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  ip: string | null;
  requestId: string | null;
}

interface Filter {
  action?: string;
  actor?: { id: string; label: string };
}

const pageSize = 25;

function query(filter: Filter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.actor) q.set('actor', filter.actor.id);
  if (filter.action) q.set('action', filter.action);
  return q;
}

/** The audit log for administrators and executives: activity per day, a filtered, paged log, CSV export. */
export function AuditPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  const allowed = me.data?.role === 'admin' || me.data?.role === 'executive';
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      {allowed ? (
        <AuditLog />
      ) : (
        <div className="error-state" role="alert">
          <p className="error-title">{t('audit.forbidden')}</p>
          {!me.data && <Link to="/signin">{t('nav.signin')}</Link>}
        </div>
      )}
    </section>
  );
}

function AuditLog() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState<Filter>({});
  const filterBy = (f: Filter) => {
    setFilter(f);
    setPage(0);
  };
  const log = useQuery({
    queryKey: ['audit', page, filter],
    queryFn: () => {
      const q = query(filter);
      q.set('limit', String(pageSize));
      q.set('offset', String(page * pageSize));
      return api<{ items: Row[]; total: number }>('GET', `/api/audit?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  const exportQuery = query(filter).toString();
  return (
    <>
      <AuditActivity />
      <form
        className="inline-form filters"
        onSubmit={(e) => {
          e.preventDefault();
          const action = String(new FormData(e.currentTarget).get('action') ?? '').trim();
          filterBy({ ...filter, action: action || undefined });
        }}
      >
        <TextField
          label={t('audit.action')}
          name="action"
          defaultValue={filter.action}
          hint={t('audit.actionHint')}
          spellCheck={false}
          autoCapitalize="off"
        />
        <Button type="submit">{t('audit.apply')}</Button>
        <a
          className="btn btn-secondary"
          href={`/api/audit/export.csv${exportQuery ? `?${exportQuery}` : ''}`}
          download
        >
          {t('audit.export')}
        </a>
      </form>
      {filter.actor && (
        <p className="active-filter">
          {t('audit.onlyActor', { name: filter.actor.label })}{' '}
          <Button variant="secondary" onClick={() => filterBy({ ...filter, actor: undefined })}>
            {t('audit.allActors')}
          </Button>
        </p>
      )}
      {log.isPending && <Spinner />}
      {log.isError && <ErrorState error={log.error} onRetry={() => log.refetch()} />}
      {log.data && (
        <Table
          caption={t('audit.caption', { total: log.data.total })}
          rows={log.data.items}
          rowKey={(r) => r.id}
          pageSize={pageSize}
          server={{ total: log.data.total, page, onPage: setPage }}
          empty={t('audit.none')}
          columns={[
            { key: 'at', header: t('audit.at'), cell: (r) => formatDate(r.at, i18n.language) },
            {
              key: 'actor',
              header: t('audit.actor'),
              cell: (r) =>
                r.actorId && r.actorId !== filter.actor?.id ? (
                  <button
                    type="button"
                    className="btn btn-link inline"
                    title={t('audit.onlyThisActor')}
                    onClick={() =>
                      filterBy({ ...filter, actor: { id: r.actorId!, label: r.actorLabel ?? r.actorId! } })
                    }
                  >
                    {r.actorLabel ?? r.actorId}
                  </button>
                ) : (
                  (r.actorLabel ?? t('audit.system'))
                ),
            },
            { key: 'action', header: t('audit.action'), cell: (r) => <code>{r.action}</code> },
            {
              key: 'resource',
              header: t('audit.resource'),
              cell: (r) => `${r.resourceType}${r.resourceId ? ` ${r.resourceId.slice(0, 8)}` : ''}`,
            },
            { key: 'ip', header: t('audit.ip'), cell: (r) => r.ip ?? '—' },
          ]}
        />
      )}
    </>
  );
}
