import { useTranslation } from 'react-i18next';
import type { Index } from './types.ts';

/** An index as a number, its band's colour (a swatch, never the only cue) and the band's name. */
export function IndexBadge({ index }: { index: Index | null }) {
  const { t, i18n } = useTranslation();
  if (!index) return <span>{t('airQuality.noIndex')}</span>;
  const lang = i18n.language === 'th' ? 'th' : 'en';
  return (
    <span className="aqi">
      <span className="aqi-swatch" style={{ background: index.band.colour }} aria-hidden="true" />
      <strong>{index.aqi}</strong> {index.band.name[lang]}
      {index.beyondScale && ` (${t('airQuality.beyondScale')})`}
    </span>
  );
}
