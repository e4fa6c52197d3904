import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { LazyMapView } from '../../ui/lazy.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select } from '../../ui/TextField.tsx';
import { IndexBadge } from './IndexBadge.tsx';
import { type MonthSummary, pollutantUnits, type Scale, type Station, type StationsNow } from './types.ts';

/** How often the page asks for new averages. */
const refreshMs = 60_000;

/** Public: the city's air now on a map and in a list, on the Thai or US scale, and this month's record. */
export function AirQualityPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'th' ? 'th' : 'en';
  const [scale, setScale] = useState<Scale>('th');
  const now = useQuery({
    queryKey: ['air-quality-stations'],
    queryFn: () => api<StationsNow>('GET', '/api/air-quality/stations'),
    refetchInterval: refreshMs,
  });
  const layers = useMemo(
    () => [
      {
        id: 'aq-stations',
        kind: 'circle' as const,
        colorProperty: 'colour',
        title: t('airQuality.stations'),
        data: {
          type: 'FeatureCollection' as const,
          features: (now.data?.stations ?? []).map((s) => ({
            type: 'Feature' as const,
            id: s.id,
            geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
            properties: {
              name: s[scale]
                ? `${s.name}: ${s[scale].aqi} ${s[scale].band.name[lang]}`
                : `${s.name}: ${t('airQuality.noIndex')}`,
              colour: s[scale]?.band.colour ?? '#777777',
            },
          })),
        },
      },
    ],
    [now.data, scale, lang, t],
  );
  const columns: Column<Station>[] = [
    {
      key: 'name',
      header: t('airQuality.station'),
      cell: (s) => (
        <>
          <Link to="/air-quality/stations/$id" params={{ id: s.id }}>
            {s.name}
          </Link>
          {s.synthetic && <Badge>{t('airQuality.synthetic')}</Badge>}
        </>
      ),
      sortValue: (s) => s.name,
    },
    {
      key: 'index',
      header: t('airQuality.index'),
      cell: (s) => <IndexBadge index={s[scale]} />,
      sortValue: (s) => s[scale]?.aqi ?? -1,
    },
    {
      key: 'dominant',
      header: t('airQuality.dominant'),
      cell: (s) => (s[scale] ? t(`airQuality.pollutant.${s[scale].dominant}`) : '—'),
    },
    {
      key: 'pm25',
      header: t('airQuality.pm25Avg'),
      cell: (s) => {
        const a = s.averages.find((x) => x.pollutant === 'pm25');
        if (!a) return '—';
        if (a.value === null) return t('airQuality.tooFewHours', { hours: a.hours, needed: a.needed });
        return `${a.value.toLocaleString(i18n.language, { maximumFractionDigits: 1 })} ${pollutantUnits.pm25}`;
      },
    },
    {
      key: 'lastSeen',
      header: t('airQuality.lastSeen'),
      cell: (s) => (s.lastSeenAt ? formatDate(s.lastSeenAt, i18n.language) : '—'),
      sortValue: (s) => s.lastSeenAt ?? '',
    },
  ];
  const city = now.data?.city[scale] ?? null;
  return (
    <>
      <h1>{t('airQuality.title')}</h1>
      <p>{t('airQuality.lead')}</p>
      <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('airQuality.scale')}
          value={scale}
          onChange={(e) => setScale(e.target.value as Scale)}
          options={[
            { value: 'th', label: t('airQuality.scaleTh') },
            { value: 'us', label: t('airQuality.scaleUs') },
          ]}
        />
      </form>
      {now.isPending && <Spinner />}
      {now.isError && <ErrorState error={now.error} onRetry={() => now.refetch()} />}
      {now.data && (
        <>
          <Card aria-live="polite">
            <h2>{t('airQuality.cityNow')}</h2>
            <p data-testid="city-index">
              <IndexBadge index={city} />
            </p>
            {city && <p>{city.advice[lang]}</p>}
            <p className="note">{t('airQuality.cityRule', { at: formatDate(now.data.at, i18n.language) })}</p>
          </Card>
          <Card>
            <h2>{t('airQuality.map')}</h2>
            <LazyMapView layers={layers} label={t('airQuality.mapLabel')} />
          </Card>
          <Card>
            <h2>{t('airQuality.stations')}</h2>
            <Table
              caption={t('airQuality.stations')}
              columns={columns}
              rows={now.data.stations}
              rowKey={(s) => s.id}
              empty={t('airQuality.noStations')}
            />
            <p className="note">{t('airQuality.averagingNote')}</p>
          </Card>
        </>
      )}
      <MonthCard />
    </>
  );
}

const thisMonth = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' }).slice(0, 7);

function MonthCard() {
  const { t, i18n } = useTranslation();
  const [month, setMonth] = useState(thisMonth);
  const summary = useQuery({
    queryKey: ['air-quality-summary', month],
    queryFn: () => api<MonthSummary>('GET', `/api/air-quality/summary?month=${encodeURIComponent(month)}`),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const monthName = new Intl.DateTimeFormat(i18n.language === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`));
  type Row = MonthSummary['stations'][number];
  const columns: Column<Row>[] = [
    { key: 'name', header: t('airQuality.station'), cell: (s) => s.name, sortValue: (s) => s.name },
    { key: 'days', header: t('airQuality.daysWithData'), cell: (s) => s.daysWithData },
    { key: 'over', header: t('airQuality.daysOver'), cell: (s) => s.daysOver, sortValue: (s) => s.daysOver },
  ];
  return (
    <Card>
      <h2>{t('airQuality.month', { month: Number.isNaN(Date.parse(`${month}-01`)) ? month : monthName })}</h2>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('airQuality.chooseMonth')}
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
      </form>
      {summary.isPending && summary.fetchStatus !== 'idle' && <Spinner />}
      {summary.isError && <ErrorState error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.data && (
        <>
          <p data-testid="city-days-over">
            {t('airQuality.cityDaysOver', {
              over: summary.data.city.daysOver,
              days: summary.data.city.daysWithData,
              pm25: summary.data.standards.pm25,
              pm10: summary.data.standards.pm10,
            })}
          </p>
          <Table
            caption={t('airQuality.monthTable')}
            columns={columns}
            rows={summary.data.stations}
            rowKey={(s) => s.stationId}
            empty={t('airQuality.noStations')}
          />
        </>
      )}
    </Card>
  );
}
