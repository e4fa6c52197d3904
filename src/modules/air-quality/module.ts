import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { airQualityRoutes } from './routes.ts';

/**
 * Air quality (Environment). So far the pure index calculator and its public endpoint; stations,
 * readings, history and summaries come with the sensor network (docs/modules/air-quality.md).
 */
export const airQualityModule: ModuleManifest = {
  id: 'air-quality',
  dimension: 'environment',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  routes: airQualityRoutes,
  entityTypes: [],
  kpis: [],
  permissions: {},
};
