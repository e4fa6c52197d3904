import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { LazyChart } from '../../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import type { Count, Stats } from './public-types.ts';
import { useCategories } from './ReportPage.tsx';
import { categoryName } from './types.ts';

const thaiDay = (back = 0) =>
  new Date(Date.now() - back * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });

/** Public: the city's record on complaints, by category, office, zone and month. */
export function ComplaintsStatsPage() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(() => thaiDay(364));
  const [to, setTo] = useState(() => thaiDay());
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const stats = useQuery({
    queryKey: ['complaints-stats', from, to],
    queryFn: () => api<Stats>('GET', `/api/complaints/stats?from=${from}&to=${to}`),
    enabled: valid,
  });
  const categories = useCategories();
  const n = (x: number, digits = 0) => x.toLocaleString(i18n.language, { maximumFractionDigits: digits });
  const s = stats.data;
  const countColumns = (header: string, name: (k: string) => string): Column<Count>[] => [
    { key: 'key', header, cell: (c) => name(c.key), sortValue: (c) => name(c.key) },
    { key: 'count', header: t('complaintsStats.count'), cell: (c) => n(c.count), sortValue: (c) => c.count },
  ];
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(i18n.language === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${m}-01T00:00:00Z`));
  return (
    <>
      <h1>{t('complaintsStats.title')}</h1>
      <p>{t('complaintsStats.lead')}</p>
      <p>
        <Link to="/complaints/public">{t('complaintsStats.publicLink')}</Link>
      </p>
      <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('complaintsStats.from')}
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('complaintsStats.to')}
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
      </form>
      {!valid && <p role="alert">{t('complaintsStats.badPeriod')}</p>}
      {stats.isPending && stats.fetchStatus !== 'idle' && <Spinner />}
      {stats.isError && <ErrorState error={stats.error} onRetry={() => stats.refetch()} />}
      {s && (
        <>
          <Card aria-live="polite">
            <h2>{t('complaintsStats.summary')}</h2>
            <dl className="facts" data-testid="complaint-stats">
              <dt>{t('complaintsStats.total')}</dt>
              <dd>{n(s.total)}</dd>
              <dt>{t('complaintsStats.resolvedCount')}</dt>
              <dd>{n(s.resolved)}</dd>
              <dt>{t('complaintsStats.median')}</dt>
              <dd>
                {s.medianHoursToResolve === null
                  ? '—'
                  : t('complaintsStats.medianValue', {
                      days: n(s.medianHoursToResolve / 24, 1),
                      hours: n(s.medianHoursToResolve, 1),
                    })}
              </dd>
              <dt>{t('complaintsStats.withinSla')}</dt>
              <dd>
                {s.withinSla.share === null
                  ? '—'
                  : t('complaintsStats.withinSlaValue', {
                      share: n(100 * s.withinSla.share, 1),
                      onTime: n(s.withinSla.onTime),
                      measured: n(s.withinSla.measured),
                    })}
              </dd>
              <dt>{t('complaintsStats.satisfaction')}</dt>
              <dd>
                {s.satisfaction.average === null
                  ? '—'
                  : t('complaintsStats.satisfactionValue', {
                      average: n(s.satisfaction.average, 2),
                      ratings: n(s.satisfaction.ratings),
                    })}
              </dd>
            </dl>
            <p className="note">{t('complaintsStats.method')}</p>
          </Card>
          <Card>
            <h2>{t('complaintsStats.byMonth')}</h2>
            <LazyChart
              label={t('complaintsStats.byMonthLabel', {
                months: s.byMonth.map((m) => `${monthLabel(m.month)} ${m.count}/${m.resolved}`).join(', '),
              })}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: s.byMonth.map((m) => monthLabel(m.month)) },
                yAxis: { type: 'value' },
                series: [
                  { type: 'bar', name: t('complaintsStats.filed'), data: s.byMonth.map((m) => m.count) },
                  {
                    type: 'bar',
                    name: t('complaintsStats.resolvedCount'),
                    data: s.byMonth.map((m) => m.resolved),
                  },
                ],
              }}
            />
          </Card>
          <Card>
            <h2>{t('complaintsStats.byCategory')}</h2>
            <Table
              caption={t('complaintsStats.byCategory')}
              columns={countColumns(t('complaintsPublic.category'), (k) =>
                categoryName(categories.data, k, i18n.language),
              )}
              rows={s.byCategory}
              rowKey={(c) => c.key}
              empty={t('complaintsPublic.none')}
            />
          </Card>
          <Card>
            <h2>{t('complaintsStats.byOffice')}</h2>
            <Table
              caption={t('complaintsStats.byOffice')}
              columns={countColumns(t('complaintsStats.office'), (k) => k)}
              rows={s.byOffice}
              rowKey={(c) => c.key}
              empty={t('complaintsPublic.none')}
            />
          </Card>
          <Card>
            <h2>{t('complaintsStats.byZone')}</h2>
            <Table
              caption={t('complaintsStats.byZone')}
              columns={countColumns(t('complaintsPublic.zone'), (k) => k)}
              rows={s.byZone}
              rowKey={(c) => c.key}
              empty={t('complaintsPublic.none')}
            />
          </Card>
        </>
      )}
    </>
  );
}
