import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { localName } from '../i18n.ts';
import { useMeta } from '../session.ts';
import { LazyMapView as CityMap } from '../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../ui/States.tsx';
import { Table } from '../ui/Table.tsx';

interface Office {
  id: string;
  code: string;
  nameTh: string;
  nameEn: string;
  kind: 'office' | 'division';
  parentId: string | null;
}
type Areas = GeoJSON.FeatureCollection<
  GeoJSON.MultiPolygon,
  { code: string; nameTh: string; nameEn: string; synthetic: boolean }
>;

export function CityPage() {
  const { t, i18n } = useTranslation();
  const meta = useMeta().data;
  const offices = useQuery({
    queryKey: ['offices'],
    queryFn: () => api<Office[]>('GET', '/api/org/offices'),
  });
  const zones = useQuery({ queryKey: ['zones'], queryFn: () => api<Areas>('GET', '/api/org/zones') });
  const communities = useQuery({
    queryKey: ['communities'],
    queryFn: () => api<Areas>('GET', '/api/org/communities'),
  });
  const layers = useMemo(
    () =>
      zones.data && communities.data
        ? [
            {
              id: 'communities',
              data: communities.data,
              kind: 'fill' as const,
              color: '#5c6e00',
              title: t('city.communities'),
            },
            {
              id: 'zones',
              data: zones.data,
              kind: 'fill' as const,
              color: '#0b5394',
              title: t('city.zones'),
            },
          ]
        : [],
    [zones.data, communities.data, t],
  );
  const synthetic = [zones.data, communities.data].some((c) =>
    c?.features.some((f) => f.properties.synthetic),
  );
  const areasError = zones.error ?? communities.error;
  const names = useMemo(() => new Map(offices.data?.map((o) => [o.id, o])), [offices.data]);
  return (
    <section>
      <h1>{t('city.title')}</h1>
      {meta && <p>{t('city.lead', { city: localName(meta.city, i18n.language) })}</p>}
      <Card>
        <h2>{t('city.map')}</h2>
        {synthetic && <p className="note">{t('city.synthetic')}</p>}
        {(zones.isPending || communities.isPending) && !areasError && <Spinner />}
        {areasError && <ErrorState error={areasError} />}
        {layers.length > 0 && (
          <CityMap
            layers={layers}
            label={t('city.mapLabel')}
            tileUrl={meta?.map.tileUrl}
            center={meta?.map.center}
            zoom={meta?.map.zoom}
          />
        )}
      </Card>
      <Card>
        <h2>{t('city.offices')}</h2>
        {offices.isPending && <Spinner />}
        {offices.isError && <ErrorState error={offices.error} />}
        {offices.data && (
          <Table
            caption={t('city.offices')}
            rows={offices.data}
            pageSize={50}
            rowKey={(o) => o.id}
            columns={[
              {
                key: 'name',
                header: t('city.name'),
                cell: (o) => localName(o, i18n.language),
                sortValue: (o) => localName(o, i18n.language),
              },
              {
                key: 'kind',
                header: t('city.kind'),
                cell: (o) => t(`city.${o.kind}`),
                sortValue: (o) => o.kind,
              },
              {
                key: 'parent',
                header: t('city.parent'),
                cell: (o) => {
                  const parent = o.parentId ? names.get(o.parentId) : undefined;
                  return parent ? localName(parent, i18n.language) : '—';
                },
              },
              {
                key: 'code',
                header: t('city.code'),
                cell: (o) => <code>{o.code}</code>,
                sortValue: (o) => o.code,
              },
            ]}
          />
        )}
      </Card>
    </section>
  );
}
