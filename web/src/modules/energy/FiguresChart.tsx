import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart } from '../../ui/lazy.tsx';
import { number, periodLabel } from './format.ts';
import type { Figures } from './types.ts';

/** Bars of generation (and grid import and export when metered) per period, with a text alternative. */
export function FiguresChart({ figures }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const metered = figures.series.some((s) => s.importedKWh !== null);
    const bars = [
      { name: t('energy.generated'), color: '#b45309', values: figures.series.map((s) => s.generatedKWh) },
      ...(metered
        ? [
            {
              name: t('energy.imported'),
              color: '#1d4ed8',
              values: figures.series.map((s) => s.importedKWh ?? 0),
            },
            {
              name: t('energy.exported'),
              color: '#047857',
              values: figures.series.map((s) => s.exportedKWh ?? 0),
            },
          ]
        : []),
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 72, bottom: 48 },
      xAxis: {
        type: 'category',
        data: figures.series.map((s) => periodLabel(s.period, figures.by, i18n.language)),
      },
      yAxis: { type: 'value', name: 'kWh' },
      series: bars.map((b) => ({
        type: 'bar' as const,
        name: b.name,
        itemStyle: { color: b.color },
        data: b.values.map((v) => Math.round(v * 10) / 10),
      })),
    } as ChartOption;
  }, [figures, t, i18n.language]);
  const label = t('energy.chartLabel', {
    generated: number(figures.totals.generatedKWh, i18n.language, 0),
    from: periodLabel(figures.series[0]?.period ?? figures.from.slice(0, 10), figures.by, i18n.language),
    to: periodLabel(figures.series.at(-1)?.period ?? figures.to, figures.by, i18n.language),
  });
  return <LazyChart option={option} label={label} />;
}
