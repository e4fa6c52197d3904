import { useTranslation } from 'react-i18next';
import type { MapLayer } from './MapView.tsx';

export type FeatureNames = (properties: Record<string, unknown>, language: string) => string;

/** nameTh/nameEn by language, else name, else id. */
export const defaultFeatureName: FeatureNames = (p, language) => {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const local = language === 'en' ? text(p.nameEn) : text(p.nameTh);
  return local ?? text(p.nameTh) ?? text(p.nameEn) ?? text(p.name) ?? String(p.id ?? '');
};

/** The map's text alternative: each layer and the names of its features, folded away until asked for. */
export function MapFeatureList({
  layers,
  featureName = defaultFeatureName,
}: {
  layers: MapLayer[];
  featureName?: FeatureNames;
}) {
  const { t, i18n } = useTranslation();
  const titled = layers.map((l) => ({ ...l, title: l.title ?? l.id }));
  const summary = titled.map((l) => `${l.title} (${l.data.features.length})`).join(' · ');
  return (
    <details className="map-list">
      <summary>{t('map.list', { summary })}</summary>
      {titled.map((layer) => (
        <section key={layer.id}>
          <h3>{layer.title}</h3>
          {layer.data.features.length === 0 ? (
            <p className="hint">{t('map.noFeatures')}</p>
          ) : (
            <ul>
              {layer.data.features.map((f, i) => (
                <li key={String(f.id ?? f.properties?.id ?? i)}>
                  {featureName(f.properties ?? {}, i18n.language)}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </details>
  );
}
