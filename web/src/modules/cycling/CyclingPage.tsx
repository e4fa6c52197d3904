import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../session.ts';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart, LazyMapView } from '../../ui/lazy.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { LaneImportCard } from './LaneImportCard.tsx';

interface LaneFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.MultiLineString;
  properties: {
    id: string;
    nameTh: string;
    nameEn: string;
    kind: string;
    lengthM: number;
    source: string | null;
    synthetic: boolean;
  };
}
interface Counters {
  from: string;
  to: string;
  counters: {
    id: string;
    name: string;
    lon: number;
    lat: number;
    synthetic: boolean;
    days: { day: string; count: number }[];
  }[];
}
interface Summary {
  lanes: { count: number; km: number; byKind: { kind: string; count: number; km: number }[] };
  counters: { count: number; last7Days: number; dailyAverage: number | null };
}

/** Public: the bicycle city's lanes on a map, its bike counters' daily counts, and its figures. */
export function CyclingPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const lanes = useQuery({
    queryKey: ['cycling-lanes'],
    queryFn: () => api<{ features: LaneFeature[] }>('GET', '/api/cycling/lanes'),
  });
  const counters = useQuery({
    queryKey: ['cycling-counters'],
    queryFn: () => api<Counters>('GET', '/api/cycling/counters?days=30'),
  });
  const summary = useQuery({
    queryKey: ['cycling-summary'],
    queryFn: () => api<Summary>('GET', '/api/cycling/summary'),
  });
  const lang = i18n.language;
  const name = (p: LaneFeature['properties']) => (lang === 'th' ? p.nameTh : p.nameEn);
  const number = (n: number, digits = 0) =>
    n.toLocaleString(i18n.language, { maximumFractionDigits: digits });
  const layers = useMemo(
    () => [
      {
        id: 'cycle-lanes',
        kind: 'line' as const,
        color: '#1b7f3b',
        title: t('cycling.lanes'),
        data: {
          type: 'FeatureCollection' as const,
          features: (lanes.data?.features ?? []).map((f) => ({
            ...f,
            properties: {
              name: `${lang === 'th' ? f.properties.nameTh : f.properties.nameEn} (${t(`cycling.kind.${f.properties.kind}`)})`,
            },
          })),
        },
      },
      {
        id: 'bike-counters',
        kind: 'circle' as const,
        color: '#0b5394',
        title: t('cycling.counters'),
        data: {
          type: 'FeatureCollection' as const,
          features: (counters.data?.counters ?? []).map((c) => ({
            type: 'Feature' as const,
            id: c.id,
            geometry: { type: 'Point' as const, coordinates: [c.lon, c.lat] },
            properties: { name: c.name },
          })),
        },
      },
    ],
    [lanes.data, counters.data, t, lang],
  );
  const chart = useMemo<ChartOption | null>(() => {
    const c = counters.data;
    if (!c || c.counters.length === 0) return null;
    const days = [...new Set(c.counters.flatMap((x) => x.days.map((d) => d.day)))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: t('cycling.bicycles') },
      series: c.counters.map((x) => ({
        type: 'bar' as const,
        name: x.name,
        data: days.map((d) => x.days.find((y) => y.day === d)?.count ?? 0),
      })),
    } as ChartOption;
  }, [counters.data, t]);
  const columns: Column<LaneFeature>[] = [
    {
      key: 'name',
      header: t('cycling.lane'),
      cell: (f) => (
        <>
          {name(f.properties)}
          {f.properties.synthetic && <Badge>{t('cycling.synthetic')}</Badge>}
        </>
      ),
      sortValue: (f) => name(f.properties),
    },
    {
      key: 'kind',
      header: t('cycling.kindHeader'),
      cell: (f) => t(`cycling.kind.${f.properties.kind}`),
      sortValue: (f) => f.properties.kind,
    },
    {
      key: 'length',
      header: t('cycling.length'),
      cell: (f) => `${number(f.properties.lengthM / 1000, 2)} ${t('cycling.km')}`,
      sortValue: (f) => f.properties.lengthM,
    },
  ];
  return (
    <>
      <h1>{t('cycling.title')}</h1>
      <p>{t('cycling.lead')}</p>
      {summary.isError && <ErrorState error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.data && (
        <Card>
          <h2>{t('cycling.figures')}</h2>
          <dl className="facts" data-testid="cycling-figures">
            <dt>{t('cycling.laneKm')}</dt>
            <dd>
              {number(summary.data.lanes.km, 2)} {t('cycling.km')} ({summary.data.lanes.count})
            </dd>
            <dt>{t('cycling.last7Days')}</dt>
            <dd>{number(summary.data.counters.last7Days)}</dd>
            <dt>{t('cycling.dailyAverage')}</dt>
            <dd>
              {summary.data.counters.dailyAverage === null ? '—' : number(summary.data.counters.dailyAverage)}
            </dd>
          </dl>
        </Card>
      )}
      <Card>
        <h2>{t('cycling.map')}</h2>
        <LazyMapView layers={layers} label={t('cycling.mapLabel')} />
      </Card>
      <Card>
        <h2>{t('cycling.lanes')}</h2>
        {lanes.isPending && <Spinner />}
        {lanes.isError && <ErrorState error={lanes.error} onRetry={() => lanes.refetch()} />}
        {lanes.data && (
          <Table
            caption={t('cycling.lanes')}
            columns={columns}
            rows={lanes.data.features}
            rowKey={(f) => f.id}
            empty={t('cycling.noLanes')}
          />
        )}
      </Card>
      <Card>
        <h2>{t('cycling.dailyCounts')}</h2>
        {counters.isPending && <Spinner />}
        {counters.isError && <ErrorState error={counters.error} onRetry={() => counters.refetch()} />}
        {counters.data &&
          (chart ? (
            <LazyChart
              option={chart}
              label={t('cycling.chartLabel', { from: counters.data.from, to: counters.data.to })}
            />
          ) : (
            <p>{t('cycling.noCounters')}</p>
          ))}
      </Card>
      {me.data?.kind === 'staff' && <LaneImportCard />}
    </>
  );
}
