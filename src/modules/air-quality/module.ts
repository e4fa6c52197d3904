import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { airQualityRoutes } from './routes.ts';
import { bangkokDay, monthSummary, stationsNow } from './station-service.ts';

/**
 * Air quality (Environment): the index calculator, and the city network's stations with both
 * indices, history and monthly summaries (docs/modules/air-quality.md).
 */
export const airQualityModule: ModuleManifest = {
  id: 'air-quality',
  dimension: 'environment',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  routes: airQualityRoutes,
  webPath: '/air-quality',
  entityTypes: [],
  kpis: [
    {
      id: 'air-quality-days-over',
      names: { th: th.kpiDaysOver, en: en.kpiDaysOver },
      unit: 'days',
      async compute(db) {
        const summary = await monthSummary(db, bangkokDay(new Date()).slice(0, 7));
        return summary.city.daysWithData === 0 ? null : summary.city.daysOver;
      },
    },
    {
      id: 'air-quality-city-aqi',
      names: { th: th.kpiCityAqi, en: en.kpiCityAqi },
      unit: 'AQI',
      async compute(db) {
        return (await stationsNow(db)).city.th?.aqi ?? null;
      },
    },
  ],
  permissions: {},
};
