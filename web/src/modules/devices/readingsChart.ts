import type { ChartOption } from '../../ui/Chart.tsx';

export interface Point {
  quantity: string;
  value: number;
  observedAt: string;
  min?: number;
  max?: number;
  count?: number;
}
export type Resolution = 'raw' | '5m' | '1h' | '1d';
export interface Readings {
  latest: Point[];
  from: string;
  to: string;
  resolution: Resolution;
  series: Point[];
}

/**
 * Thailand keeps UTC+7 all year (no daylight saving), so moving every time by seven hours and drawing
 * the axis in UTC puts the ticks and labels on Bangkok hours and midnights, whatever the browser's zone.
 */
const bangkokOffsetMs = 7 * 3600_000;
export const toBangkokAxis = (iso: string) => Date.parse(iso) + bangkokOffsetMs;

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The device chart: a line per quantity (each reading, or the average of each bucket) and, for
 * rollups, a shaded band from the bucket's minimum to its maximum, drawn as a transparent base with
 * the range stacked on top. Times on the axis and in the tooltip are Bangkok time.
 */
export function readingsChart(
  data: Readings,
  label: (quantity: string) => string,
  formatTime: (ms: number) => string,
  bandLabel: string,
): ChartOption | null {
  if (!data.series.length) return null;
  const byQuantity = new Map<string, Point[]>();
  for (const p of data.series) {
    const points = byQuantity.get(p.quantity) ?? [];
    points.push(p);
    byQuantity.set(p.quantity, points);
  }
  const banded = data.resolution !== 'raw';
  const series: NonNullable<ChartOption['series']> = [];
  for (const [quantity, points] of byQuantity) {
    const name = label(quantity);
    series.push({
      type: 'line',
      name,
      data: points.map((p) => [toBangkokAxis(p.observedAt), p.value]),
      showSymbol: false,
    });
    if (!banded) continue;
    const stack = `band-${quantity}`;
    series.push(
      {
        type: 'line',
        name,
        stack,
        stackStrategy: 'all',
        data: points.map((p) => [toBangkokAxis(p.observedAt), p.min ?? p.value]),
        lineStyle: { opacity: 0 },
        showSymbol: false,
        silent: true,
        tooltip: { show: false },
      },
      {
        type: 'line',
        name,
        stack,
        stackStrategy: 'all',
        data: points.map((p) => [toBangkokAxis(p.observedAt), (p.max ?? p.value) - (p.min ?? p.value)]),
        lineStyle: { opacity: 0 },
        areaStyle: { opacity: 0.25 },
        showSymbol: false,
        silent: true,
        tooltip: { show: false },
      },
    );
  }
  // One tooltip line per quantity, from the points themselves (the band's stacked values are not the data).
  const at = new Map<number, Point[]>();
  for (const p of data.series) {
    const key = toBangkokAxis(p.observedAt);
    at.set(key, [...(at.get(key) ?? []), p]);
  }
  return {
    useUTC: true,
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as
          | { value?: [number, number] }
          | undefined;
        const ms = first?.value?.[0];
        if (ms === undefined) return '';
        const lines = (at.get(ms) ?? []).map((p) =>
          banded && p.min !== undefined && p.max !== undefined
            ? `${label(p.quantity)}: ${round(p.value)} (${bandLabel} ${round(p.min)}–${round(p.max)})`
            : `${label(p.quantity)}: ${round(p.value)}`,
        );
        return [formatTime(ms - bangkokOffsetMs), ...lines].map(escapeHtml).join('<br>');
      },
    },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'time', min: toBangkokAxis(data.from), max: toBangkokAxis(data.to) },
    yAxis: { type: 'value', scale: true },
    series,
  } as ChartOption;
}

/** Quantity names come from device profiles: text, never markup, in the tooltip's HTML. */
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
