import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { BillView, type StaffBill } from './BillView.tsx';
import { baht, financeAccess } from './finance-access.ts';

const pageSize = 20;
const day = (iso: string, lang: string) => formatDate(`${iso}T00:00:00+07:00`, lang, false);

interface Filter {
  year: string;
  kind: string;
  status: string;
  number: string;
  owner: string;
}

/** The query string for the API: only the filters given; one row more than a page tells a next page exists. */
function query(f: Filter, page: number) {
  const q = new URLSearchParams({ limit: String(pageSize + 1), offset: String(page * pageSize) });
  for (const key of ['year', 'kind', 'status', 'number', 'owner'] as const) {
    const v = f[key].trim();
    if (v) q.set(key, v);
  }
  return q.toString();
}

/** Finance staff and executives find bills by year, kind, status, number or owner and open one. */
export function BillsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const reads = financeAccess(me.data).reads;
  const from = useSearch({ strict: false }) as { year?: unknown };
  const start: Filter = { year: String(from.year ?? ''), kind: '', status: '', number: '', owner: '' };
  const [draft, setDraft] = useState(start);
  const [applied, setApplied] = useState(start);
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string>();
  const yearError = draft.year.trim() !== '' && !/^25[6-9]\d$|^2700$/.test(draft.year.trim());
  const bills = useQuery({
    queryKey: ['tax', 'bills', applied, page],
    queryFn: () => api<StaffBill[]>('GET', `/api/tax/bills?${query(applied, page)}`),
    enabled: reads && !open,
    placeholderData: keepPreviousData,
  });
  if (me.isPending) return <Spinner />;
  const lang = i18n.language;
  const set = (key: keyof Filter) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const rows = bills.data?.slice(0, pageSize) ?? [];
  const more = (bills.data?.length ?? 0) > pageSize;
  return (
    <section>
      <p>
        <Link to="/tax">{t('taxOffice.back')}</Link>
      </p>
      <h1>{t('taxBills.title')}</h1>
      {!reads ? (
        <EmptyState>{t('taxOffice.financeOnly')}</EmptyState>
      ) : open ? (
        <BillView id={open} onBack={() => setOpen(undefined)} />
      ) : (
        <>
          <form
            className="filters"
            aria-label={t('taxBills.search')}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (yearError) return;
              setApplied(draft);
              setPage(0);
            }}
          >
            <TextField
              label={t('taxBills.year')}
              inputMode="numeric"
              value={draft.year}
              error={yearError ? t('tax.rates.errors.year') : undefined}
              onChange={set('year')}
            />
            <Select
              label={t('taxBills.kind')}
              value={draft.kind}
              onChange={set('kind')}
              options={[
                { value: '', label: t('taxBills.any') },
                { value: 'land-building', label: t('tax.kind.land-building') },
                { value: 'sign', label: t('tax.kind.sign') },
              ]}
            />
            <Select
              label={t('taxBills.status')}
              value={draft.status}
              onChange={set('status')}
              options={[
                { value: '', label: t('taxBills.any') },
                ...(['open', 'nothing_due', 'paid', 'cancelled'] as const).map((s) => ({
                  value: s,
                  label: t(`tax.status.${s}`),
                })),
              ]}
            />
            <TextField label={t('tax.number')} maxLength={30} value={draft.number} onChange={set('number')} />
            <TextField
              label={t('taxBills.owner')}
              maxLength={200}
              value={draft.owner}
              onChange={set('owner')}
            />
            <Button type="submit">{t('taxBills.searchButton')}</Button>
          </form>
          {bills.isError && <ErrorState error={bills.error} onRetry={() => bills.refetch()} />}
          {bills.isPending && <Spinner />}
          {bills.data && (
            <>
              <Table
                caption={t('taxBills.caption', { page: page + 1 })}
                rows={rows}
                rowKey={(b) => b.id}
                pageSize={pageSize}
                empty={t('taxBills.none')}
                columns={[
                  {
                    key: 'number',
                    header: t('tax.number'),
                    cell: (b) => (
                      <button type="button" className="btn btn-link inline" onClick={() => setOpen(b.id)}>
                        {b.number}
                      </button>
                    ),
                  },
                  { key: 'year', header: t('taxBills.year'), cell: (b) => b.taxYear },
                  { key: 'kind', header: t('taxBills.kind'), cell: (b) => t(`tax.kind.${b.taxKind}`) },
                  { key: 'owner', header: t('taxBills.owner'), cell: (b) => b.ownerName },
                  {
                    key: 'amount',
                    header: t('taxBills.amount'),
                    cell: (b) => baht(b.amountSatang, lang),
                  },
                  {
                    key: 'status',
                    header: t('taxBills.status'),
                    cell: (b) => (
                      <Badge tone={b.status === 'open' ? 'warn' : 'info'}>
                        {t(`tax.status.${b.status}`)}
                      </Badge>
                    ),
                  },
                  { key: 'due', header: t('taxBills.due'), cell: (b) => day(b.dueDate, lang) },
                ]}
              />
              {(page > 0 || more) && (
                <nav className="pager" aria-label={t('taxBills.pages')}>
                  <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
                    {t('table.previous')}
                  </Button>
                  <span aria-live="polite">{t('taxBills.page', { page: page + 1 })}</span>
                  <Button variant="secondary" disabled={!more} onClick={() => setPage(page + 1)}>
                    {t('table.next')}
                  </Button>
                </nav>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
