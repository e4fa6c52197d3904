import { join } from 'node:path';
import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { cyclingRoutes } from './routes.ts';
import { seed } from './seed.ts';
import { CyclingService } from './service.ts';

/** The bicycle city (Environment): cycle lanes, bike counters and their figures (docs/modules/cycling.md). */
export const cyclingModule: ModuleManifest = {
  id: 'cycling',
  dimension: 'environment',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  migrationsDir: join(import.meta.dirname, 'migrations'),
  routes: cyclingRoutes,
  entityTypes: [],
  kpis: [
    {
      id: 'cycling-lane-km',
      names: { th: th.kpiLaneKm, en: en.kpiLaneKm },
      unit: 'km',
      compute: async (db) => (await new CyclingService(db).summary()).lanes.km,
    },
    {
      id: 'cycling-daily-bicycles',
      names: { th: th.kpiDailyBicycles, en: en.kpiDailyBicycles },
      unit: 'bicycles/day',
      compute: async (db) => (await new CyclingService(db).summary()).counters.dailyAverage,
    },
  ],
  seed,
  webPath: '/cycling',
  permissions: { manage: ['admin', 'office_manager', 'officer'] },
};
