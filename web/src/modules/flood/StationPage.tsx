import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { localName } from '../../i18n.ts';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart } from '../../ui/lazy.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { levelText, type Station, StatusBadge, statusStyle, TrendText } from './shared.tsx';

interface Detail extends Station {
  from: string;
  to: string;
  series: { observedAt: string; value: number }[];
}

const refreshMs = 60_000;

/** Hours and minutes in Thailand's time, whatever the reader's device is set to. */
function clock(value: number | string, language: string) {
  return new Intl.DateTimeFormat(language === 'th' ? 'th-TH' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Bangkok',
  }).format(new Date(value));
}

/** One station: its status and figures, and a chart of the last day with its threshold lines. */
export function StationPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id?: string };
  const station = useQuery({
    queryKey: ['flood-station', id],
    queryFn: () => api<Detail>('GET', `/api/flood/stations/${encodeURIComponent(id ?? '')}`),
    refetchInterval: refreshMs,
  });
  const language = i18n.language;
  const option = useMemo<ChartOption | null>(() => {
    const s = station.data;
    if (!s || s.series.length === 0) return null;
    const line = (name: string, value: number | null, color: string, type: 'solid' | 'dashed') =>
      value === null
        ? []
        : [
            {
              yAxis: value,
              name,
              lineStyle: { color, type, width: 2 },
              label: { formatter: name, color: '#1b1f24' },
            },
          ];
    const unit = s.unit;
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const [p] = params as { value: [string, number] }[];
          return p
            ? `${formatDate(p.value[0], language)}<br/>${p.value[1].toLocaleString(language)} ${unit}`
            : '';
        },
      },
      grid: { left: 56, right: 96, top: 24, bottom: 32 },
      xAxis: {
        type: 'time',
        min: s.from,
        max: s.to,
        axisLabel: { formatter: (v: number) => clock(v, language), hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: unit,
        scale: true,
        max:
          s.kind === 'water_level'
            ? (v: { max: number }) => Math.max(v.max, s.critical, s.bankFull ?? 0) + 0.2
            : undefined,
      },
      series: [
        {
          type: s.kind === 'rainfall' ? ('bar' as const) : ('line' as const),
          name: localName(s, language),
          data: s.series.map((r) => [r.observedAt, r.value]),
          showSymbol: false,
          color: '#0b5394',
          ...(s.kind === 'water_level'
            ? {
                markLine: {
                  symbol: 'none',
                  silent: true,
                  data: [
                    ...line(t('flood.status.watch'), s.watch, statusStyle.watch.color, 'dashed'),
                    ...line(t('flood.status.warning'), s.warning, statusStyle.warning.color, 'dashed'),
                    ...line(t('flood.status.critical'), s.critical, statusStyle.critical.color, 'solid'),
                    ...line(t('flood.bankFull'), s.bankFull, '#1b1f24', 'solid'),
                  ],
                },
              }
            : {}),
        },
      ],
    } as ChartOption;
  }, [station.data, language, t]);

  if (station.isPending) return <Spinner />;
  if (station.isError) return <ErrorState error={station.error} onRetry={() => station.refetch()} />;
  const s = station.data;
  const num = (v: number | null, unit: string) =>
    v === null ? '—' : `${v.toLocaleString(language)} ${unit}`;
  return (
    <>
      <p>
        <Link to="/flood">{t('flood.back')}</Link>
      </p>
      <h1 data-testid="station-name">
        {localName(s, language)} {s.synthetic && <Badge>{t('flood.synthetic')}</Badge>}
      </h1>
      <dl className="facts">
        <dt>{t('flood.statusLabel')}</dt>
        <dd>
          <StatusBadge status={s.status} />
          {s.stale && <span className="note"> {t('flood.stale')}</span>}
        </dd>
        <dt>{t('flood.level')}</dt>
        <dd>{levelText(s, language)}</dd>
        {s.kind === 'water_level' ? (
          <>
            <dt>{t('flood.trendLabel')}</dt>
            <dd>
              <TrendText station={s} />
            </dd>
            <dt>{t('flood.rate1h')}</dt>
            <dd>{num(s.rateCmPerHour1h, t('flood.cmPerHour'))}</dd>
            <dt>{t('flood.rate3h')}</dt>
            <dd>{num(s.rateCmPerHour3h, t('flood.cmPerHour'))}</dd>
            <dt>{t('flood.thresholds')}</dt>
            <dd>
              {t('flood.thresholdsText', {
                watch: s.watch,
                warning: s.warning,
                critical: s.critical,
                datum: s.datum,
              })}
              {s.bankFull !== null && ` · ${t('flood.bankFull')} ${s.bankFull} m`}
            </dd>
          </>
        ) : (
          <>
            <dt>{t('flood.rain1h')}</dt>
            <dd>{num(s.rain1h, 'mm')}</dd>
            <dt>{t('flood.rain24h')}</dt>
            <dd>{num(s.rain24h, 'mm')}</dd>
            <dt>{t('flood.thresholds')}</dt>
            <dd>
              {t('flood.rainThresholdsText', { watch: s.watch, warning: s.warning, critical: s.critical })}
            </dd>
          </>
        )}
        <dt>{t('flood.lastReading')}</dt>
        <dd>{s.lastReadingAt ? formatDate(s.lastReadingAt, language) : t('flood.never')}</dd>
      </dl>
      <Card>
        <h2>{t('flood.last24h')}</h2>
        <p className="note">{t('flood.timesNote')}</p>
        {option ? (
          <LazyChart
            option={option}
            label={t('flood.chartLabel', {
              name: localName(s, language),
              level: levelText(s, language),
              count: s.series.length,
            })}
          />
        ) : (
          <p>{t('flood.noReadings')}</p>
        )}
      </Card>
    </>
  );
}
