/** Dates for people: the Buddhist Era in Thai (พ.ศ.), Gregorian in English, always in Thailand's time zone. */
export function formatDate(value: string | Date, language: string, withTime = true): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const locale = language === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB';
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Asia/Bangkok',
  }).format(date);
}
