import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { localName } from '../../i18n.ts';
import { useMeta } from '../../session.ts';
import { LazyMapView } from '../../ui/lazy.tsx';
import type { MapLayer } from '../../ui/MapView.tsx';
import { StaffRegisterLink } from '../../ui/StaffRegisterLink.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import {
  levelText,
  type Shelter,
  type Station,
  StatusBadge,
  statusOrder,
  statusStyle,
  TrendText,
} from './shared.tsx';

/** Stations refresh as readings come in; a minute is enough for water that rises in cm per hour. */
const refreshMs = 60_000;
const shelterColour = '#5b2a86';

/** The public flood page: stations by status on a map and in a list, and the shelters. */
export function FloodPage() {
  const { t, i18n } = useTranslation();
  const meta = useMeta().data;
  const stations = useQuery({
    queryKey: ['flood-stations'],
    queryFn: () => api<Station[]>('GET', '/api/flood/stations'),
    refetchInterval: refreshMs,
  });
  const shelters = useQuery({
    queryKey: ['flood-shelters'],
    queryFn: () => api<Shelter[]>('GET', '/api/flood/shelters'),
  });
  const layers = useMemo<MapLayer[]>(() => {
    const point = (id: string, lon: number, lat: number, properties: Record<string, unknown>) => ({
      type: 'Feature' as const,
      id,
      geometry: { type: 'Point' as const, coordinates: [lon, lat] },
      properties,
    });
    const byStatus = statusOrder.map((status) => ({
      id: `flood-${status}`,
      kind: 'circle' as const,
      color: statusStyle[status].color,
      radius: statusStyle[status].radius,
      stroke: status === 'warning' || status === 'critical' ? { color: '#1b1f24', width: 2.5 } : undefined,
      title: `${t('flood.stations')}: ${t(`flood.status.${status}`)}`,
      data: {
        type: 'FeatureCollection' as const,
        features: (stations.data ?? [])
          .filter((s) => s.status === status)
          .map((s) =>
            point(s.id, s.location.lon, s.location.lat, {
              nameTh: `${s.nameTh} — ${levelText(s, 'th')}`,
              nameEn: `${s.nameEn} — ${levelText(s, 'en')}`,
            }),
          ),
      },
    }));
    return [
      ...byStatus.filter((l) => l.data.features.length > 0),
      {
        id: 'flood-shelters',
        kind: 'circle' as const,
        color: shelterColour,
        radius: 6,
        stroke: { color: '#ffffff', width: 3 },
        title: t('flood.shelters'),
        data: {
          type: 'FeatureCollection' as const,
          features: (shelters.data ?? []).map((s) =>
            point(s.id, s.location.lon, s.location.lat, { nameTh: s.nameTh, nameEn: s.nameEn }),
          ),
        },
      },
    ];
  }, [stations.data, shelters.data, t]);

  const stationColumns: Column<Station>[] = [
    {
      key: 'name',
      header: t('flood.station'),
      cell: (s) => (
        <>
          <Link to="/flood/$id" params={{ id: s.id }}>
            {localName(s, i18n.language)}
          </Link>{' '}
          {s.synthetic && <Badge>{t('flood.synthetic')}</Badge>}
        </>
      ),
      sortValue: (s) => localName(s, i18n.language),
    },
    {
      key: 'status',
      header: t('flood.statusLabel'),
      cell: (s) => <StatusBadge status={s.status} />,
      sortValue: (s) => statusOrder.indexOf(s.status),
    },
    { key: 'level', header: t('flood.level'), cell: (s) => levelText(s, i18n.language) },
    { key: 'trend', header: t('flood.trendLabel'), cell: (s) => <TrendText station={s} /> },
    {
      key: 'at',
      header: t('flood.lastReading'),
      cell: (s) => (s.lastReadingAt ? formatDate(s.lastReadingAt, i18n.language) : t('flood.never')),
      sortValue: (s) => s.lastReadingAt ?? '',
    },
  ];
  const shelterColumns: Column<Shelter>[] = [
    {
      key: 'name',
      header: t('flood.shelter'),
      cell: (s) => localName(s, i18n.language),
      sortValue: (s) => localName(s, i18n.language),
    },
    { key: 'kind', header: t('flood.kind'), cell: (s) => t(`flood.shelterKind.${s.kind}`) },
    {
      key: 'capacity',
      header: t('flood.capacity'),
      cell: (s) => s.capacity.toLocaleString(i18n.language),
      sortValue: (s) => s.capacity,
    },
    {
      key: 'facilities',
      header: t('flood.facilities'),
      cell: (s) => s.facilities.map((f) => t(`flood.facility.${f}`, { defaultValue: f })).join(', ') || '—',
    },
    { key: 'contact', header: t('flood.contact'), cell: (s) => s.contact ?? '—' },
  ];

  return (
    <>
      <h1>{t('flood.title')}</h1>
      <p className="note">{t('flood.lead')}</p>
      <StaffRegisterLink to="/flood/register" label={t('register.flood.open')} />
      {(stations.isPending || shelters.isPending) && <Spinner />}
      {stations.isError && <ErrorState error={stations.error} onRetry={() => stations.refetch()} />}
      {shelters.isError && <ErrorState error={shelters.error} onRetry={() => shelters.refetch()} />}
      {stations.data && shelters.data && (
        <>
          <Card>
            <h2>{t('flood.map')}</h2>
            <p className="note">{t('flood.legend')}</p>
            <LazyMapView
              layers={layers}
              label={t('flood.mapLabel')}
              tileUrl={meta?.map.tileUrl}
              center={meta?.map.center}
              zoom={meta?.map.zoom}
            />
          </Card>
          <Card>
            <h2>{t('flood.stations')}</h2>
            <Table
              caption={t('flood.stationsCaption', { count: stations.data.length })}
              columns={stationColumns}
              rows={[...stations.data].sort(
                (a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status),
              )}
              rowKey={(s) => s.id}
              empty={t('flood.noStations')}
            />
          </Card>
          <Card>
            <h2>{t('flood.shelters')}</h2>
            <Table
              caption={t('flood.sheltersCaption', { count: shelters.data.length })}
              columns={shelterColumns}
              rows={shelters.data}
              rowKey={(s) => s.id}
              empty={t('flood.noShelters')}
            />
          </Card>
        </>
      )}
    </>
  );
}
