import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart } from '../../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { type Day, type History, pollutantUnits } from './types.ts';

/** Bangkok wall-clock time of an instant, for the chart's axis (ECharts would use the browser's zone). */
const bangkok = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 16);

/** Public: one station's last 7 days of hourly PM with the Thai 24-hour standard, and its daily means. */
export function StationPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id?: string };
  const history = useQuery({
    queryKey: ['air-quality-history', id],
    queryFn: () =>
      api<History>('GET', `/api/air-quality/stations/${encodeURIComponent(id ?? '')}/history?days=7`),
  });
  const option = useMemo<ChartOption | null>(() => {
    const h = history.data;
    if (!h || h.hourly.length === 0) return null;
    const series = (['pm25', 'pm10'] as const).filter((p) => h.hourly.some((x) => typeof x[p] === 'number'));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: h.hourly.map((x) => bangkok(x.hour).replace('T', ' ')) },
      // The standards' lines stay in view even on clean days.
      yAxis: {
        type: 'value',
        name: pollutantUnits.pm25,
        max: (v: { max: number }) => Math.ceil(Math.max(v.max, ...series.map((p) => h.standards[p])) * 1.1),
      },
      series: series.map((p) => ({
        type: 'line' as const,
        name: t(`airQuality.pollutant.${p}`),
        data: h.hourly.map((x) => (typeof x[p] === 'number' ? Number((x[p] as number).toFixed(1)) : null)),
        showSymbol: false,
        markLine: {
          symbol: 'none',
          label: {
            position: 'insideEndTop',
            formatter: t('airQuality.standardLine', { value: h.standards[p] }),
          },
          data: [{ yAxis: h.standards[p] }],
        },
      })),
    } as ChartOption;
  }, [history.data, t]);

  if (history.isPending) return <Spinner />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />;
  const h = history.data;
  const number = (v: number | null) =>
    v === null ? '—' : v.toLocaleString(i18n.language, { maximumFractionDigits: 1 });
  const columns: Column<Day>[] = [
    {
      key: 'day',
      header: t('airQuality.day'),
      cell: (d) => formatDate(`${d.day}T12:00:00+07:00`, i18n.language, false),
    },
    {
      key: 'pm25',
      header: `${t('airQuality.pollutant.pm25')} (${pollutantUnits.pm25})`,
      cell: (d) => number(d.pm25),
    },
    {
      key: 'pm10',
      header: `${t('airQuality.pollutant.pm10')} (${pollutantUnits.pm10})`,
      cell: (d) => number(d.pm10),
    },
    {
      key: 'over',
      header: t('airQuality.overStandard'),
      cell: (d) =>
        d.pm25 === null && d.pm10 === null
          ? t('airQuality.noIndex')
          : d.over
            ? t('airQuality.yes')
            : t('airQuality.no'),
    },
  ];
  return (
    <>
      <p>
        <Link to="/air-quality">{t('airQuality.back')}</Link>
      </p>
      <h1 data-testid="station-name">{h.station.name}</h1>
      <Card>
        <h2>{t('airQuality.last7days')}</h2>
        {option ? (
          <LazyChart
            option={option}
            label={t('airQuality.chartLabel', { name: h.station.name, count: h.hourly.length })}
          />
        ) : (
          <p>{t('airQuality.noReadings')}</p>
        )}
      </Card>
      <Card>
        <h2>{t('airQuality.dailyMeans')}</h2>
        <Table
          caption={t('airQuality.dailyMeans')}
          columns={columns}
          rows={h.daily}
          rowKey={(d) => d.day}
          empty={t('airQuality.noReadings')}
        />
        <p className="note">
          {t('airQuality.dailyNote', { pm25: h.standards.pm25, pm10: h.standards.pm10 })}
        </p>
      </Card>
    </>
  );
}
