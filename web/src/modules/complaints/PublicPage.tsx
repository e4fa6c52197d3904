import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { LazyMapView } from '../../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select } from '../../ui/TextField.tsx';
import type { PublicItem, Zones } from './public-types.ts';
import { useCategories } from './ReportPage.tsx';
import { categoryName, statuses } from './types.ts';

const pageSize = 20;
/** The map shows at most this many of the newest points, so a phone stays responsive. */
const mapPoints = 500;
const statusColour: Record<string, string> = {
  resolved: '#1b7f3b',
  closed: '#555555',
  rejected: '#8a1c1c',
};

type Filters = { category: string; status: string; zone: string; month: string };

const query = (f: Filters) =>
  new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();

/** Public: the city's complaints on a map and in a list, with moderated text and no personal data. */
export function ComplaintsPublicPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ category: '', status: '', zone: '', month: '' });
  const [page, setPage] = useState(0);
  const categories = useCategories();
  const zones = useQuery({ queryKey: ['zones'], queryFn: () => api<Zones>('GET', '/api/org/zones') });
  const q = query(filters);
  const list = useQuery({
    queryKey: ['complaints-public', q, page],
    queryFn: () =>
      api<{ items: PublicItem[]; total: number }>(
        'GET',
        `/api/complaints/public/requests?${q}${q ? '&' : ''}page=${page + 1}&pageSize=${pageSize}`,
      ),
  });
  const map = useQuery({
    queryKey: ['complaints-public-map', q],
    queryFn: () =>
      api<{ items: Omit<PublicItem, 'text'>[]; truncated: boolean }>(
        'GET',
        `/api/complaints/public/map?${q}`,
      ),
  });
  const catName = (code: string) => categoryName(categories.data, code, i18n.language);
  const zoneName = (code: string) => {
    const z = zones.data?.features.find((f) => f.properties.code === code)?.properties;
    return z ? (i18n.language === 'th' ? z.nameTh : z.nameEn) : code;
  };
  const layers = useMemo(
    () => [
      {
        id: 'complaints-public',
        kind: 'circle' as const,
        colorProperty: 'colour',
        title: t('complaintsPublic.title'),
        data: {
          type: 'FeatureCollection' as const,
          features: (map.data?.items.slice(0, mapPoints) ?? []).map((p) => ({
            type: 'Feature' as const,
            id: p.reference,
            geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
            properties: {
              name: `${p.reference}: ${categoryName(categories.data, p.category, i18n.language)}, ${t(`complaints.status.${p.status}`)}`,
              colour: statusColour[p.status] ?? '#b35900',
            },
          })),
        },
      },
    ],
    [map.data, categories.data, i18n.language, t],
  );
  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) => {
    setFilters({ ...filters, [key]: e.target.value });
    setPage(0);
  };
  const columns: Column<PublicItem>[] = [
    {
      key: 'reference',
      header: t('complaintsPublic.reference'),
      cell: (r) => (
        <Link to="/complaints/$reference" params={{ reference: r.reference }}>
          {r.reference}
        </Link>
      ),
    },
    { key: 'category', header: t('complaintsPublic.category'), cell: (r) => catName(r.category) },
    { key: 'status', header: t('complaintsPublic.status'), cell: (r) => t(`complaints.status.${r.status}`) },
    { key: 'zone', header: t('complaintsPublic.zone'), cell: (r) => zoneName(r.zone) },
    {
      key: 'filed',
      header: t('complaintsPublic.filed'),
      cell: (r) => formatDate(r.createdAt, i18n.language),
    },
    {
      key: 'resolved',
      header: t('complaintsPublic.resolved'),
      cell: (r) => (r.resolvedAt ? formatDate(r.resolvedAt, i18n.language) : '—'),
    },
    {
      key: 'text',
      header: t('complaintsPublic.text'),
      cell: (r) => r.text ?? <span className="note">{t('complaintsPublic.awaitingModeration')}</span>,
    },
  ];
  return (
    <>
      <h1>{t('complaintsPublic.title')}</h1>
      <p>{t('complaintsPublic.lead')}</p>
      <p>
        <Link to="/complaints/stats">{t('complaintsPublic.statsLink')}</Link>
      </p>
      <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('complaintsPublic.category')}
          value={filters.category}
          onChange={set('category')}
          options={[
            { value: '', label: t('complaintsPublic.all') },
            ...(categories.data ?? []).map((c) => ({ value: c.code, label: catName(c.code) })),
          ]}
        />
        <Select
          label={t('complaintsPublic.status')}
          value={filters.status}
          onChange={set('status')}
          options={[
            { value: '', label: t('complaintsPublic.all') },
            ...statuses.map((s) => ({ value: s, label: t(`complaints.status.${s}`) })),
          ]}
        />
        <Select
          label={t('complaintsPublic.zone')}
          value={filters.zone}
          onChange={set('zone')}
          options={[
            { value: '', label: t('complaintsPublic.all') },
            ...(zones.data?.features ?? []).map((z) => ({
              value: z.properties.code,
              label: zoneName(z.properties.code),
            })),
          ]}
        />
        <label>
          {t('complaintsPublic.month')}
          <input type="month" value={filters.month} onChange={set('month')} />
        </label>
      </form>
      <Card>
        <h2>{t('complaintsPublic.map')}</h2>
        {map.isError && <ErrorState error={map.error} onRetry={() => map.refetch()} />}
        {map.data && (
          <>
            <LazyMapView layers={layers} label={t('complaintsPublic.mapLabel')} />
            {(map.data.truncated || map.data.items.length > mapPoints) && (
              <p className="note">{t('complaintsPublic.mapLimited', { n: mapPoints })}</p>
            )}
          </>
        )}
      </Card>
      <Card>
        <h2>{t('complaintsPublic.list')}</h2>
        {list.isPending && <Spinner />}
        {list.isError && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
        {list.data && (
          <Table
            caption={t('complaintsPublic.list')}
            columns={columns}
            rows={list.data.items}
            rowKey={(r) => r.reference}
            pageSize={pageSize}
            empty={t('complaintsPublic.none')}
            server={{ total: list.data.total, page, onPage: setPage }}
          />
        )}
        <p className="note">{t('complaintsPublic.moderationNote')}</p>
      </Card>
    </>
  );
}
