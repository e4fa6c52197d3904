import { useTranslation } from 'react-i18next';

export type Status = 'normal' | 'watch' | 'warning' | 'critical' | 'unknown';

export interface Station {
  id: string;
  kind: 'water_level' | 'rainfall';
  nameTh: string;
  nameEn: string;
  location: { lon: number; lat: number };
  zoneCode: string | null;
  unit: 'm' | 'mm';
  datum: string;
  watch: number;
  warning: number;
  critical: number;
  bankFull: number | null;
  synthetic: boolean;
  level: number | null;
  status: Status;
  trend: 'rising' | 'falling' | 'steady' | null;
  rateCmPerHour1h: number | null;
  rateCmPerHour3h: number | null;
  rain1h: number | null;
  rain24h: number | null;
  lastReadingAt: string | null;
  stale: boolean;
}

export interface Shelter {
  id: string;
  kind: 'shelter' | 'evacuation_point';
  nameTh: string;
  nameEn: string;
  location: { lon: number; lat: number };
  capacity: number;
  facilities: string[];
  contact: string | null;
  synthetic: boolean;
}

/** Map colour, circle size and a symbol per status: the size and the symbol carry it without colour. */
export const statusStyle: Record<Status, { color: string; radius: number; symbol: string }> = {
  normal: { color: '#1e7b34', radius: 5, symbol: '●' },
  watch: { color: '#c99a00', radius: 7, symbol: '▲' },
  warning: { color: '#d35400', radius: 9, symbol: '◆' },
  critical: { color: '#b3141b', radius: 11, symbol: '■' },
  unknown: { color: '#6b7580', radius: 5, symbol: '?' },
};

export const statusOrder: Status[] = ['critical', 'warning', 'watch', 'normal', 'unknown'];

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <span className={`badge flood-status flood-status-${status}`} data-status={status}>
      <span aria-hidden="true">{statusStyle[status].symbol} </span>
      {t(`flood.status.${status}`)}
    </span>
  );
}

/** An arrow for the eye and the words for a screen reader. */
export function TrendText({ station }: { station: Station }) {
  const { t, i18n } = useTranslation();
  if (station.kind === 'rainfall' || station.trend === null) return <>—</>;
  const arrow = station.trend === 'rising' ? '↑' : station.trend === 'falling' ? '↓' : '→';
  const rate = station.rateCmPerHour1h ?? station.rateCmPerHour3h;
  return (
    <span className="flood-trend">
      <span aria-hidden="true">{arrow} </span>
      {t(`flood.trend.${station.trend}`)}
      {rate !== null &&
        ` (${t('flood.rate', { rate: rate.toLocaleString(i18n.language, { signDisplay: 'always' }) })})`}
    </span>
  );
}

export function levelText(s: Station, language: string): string {
  if (s.kind === 'rainfall')
    return s.rain24h === null ? '—' : `${s.rain24h.toLocaleString(language)} mm / 24 h`;
  return s.level === null ? '—' : `${s.level.toLocaleString(language, { minimumFractionDigits: 2 })} m`;
}
