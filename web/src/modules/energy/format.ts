import { formatDate } from '../../dates.ts';
import type { Period } from './types.ts';

export const number = (v: number | null, language: string, digits = 1) =>
  v === null ? '—' : v.toLocaleString(language, { maximumFractionDigits: digits });

export const percent = (v: number | null, language: string) =>
  v === null ? '—' : v.toLocaleString(language, { style: 'percent', maximumFractionDigits: 0 });

/** A period key as people read it: days and months in the Buddhist Era in Thai, Gregorian in English. */
export function periodLabel(key: string, by: Period, language: string): string {
  if (by === 'day') return formatDate(`${key}T12:00:00+07:00`, language, false);
  const locale = language === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB';
  const date = new Date(`${by === 'month' ? key : `${key}-07`}-15T12:00:00+07:00`);
  return new Intl.DateTimeFormat(locale, {
    ...(by === 'month' ? { month: 'short' } : {}),
    year: 'numeric',
    timeZone: 'Asia/Bangkok',
  }).format(date);
}
