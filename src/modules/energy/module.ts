import { join } from 'node:path';
import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { energyRoutes } from './routes.ts';
import { seed } from './seed.ts';
import { EnergyService } from './service.ts';

/**
 * Solar energy and green buildings (Environment): PV systems and grid meters of city buildings, their
 * figures per Bangkok day, month and year, and the CO2 the PV avoids (docs/modules/energy.md).
 */
export const energyModule: ModuleManifest = {
  id: 'energy',
  dimension: 'environment',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  migrationsDir: join(import.meta.dirname, 'migrations'),
  routes: energyRoutes,
  entityTypes: [],
  kpis: [
    {
      id: 'energy-co2-avoided-year',
      names: { th: th.kpiCo2Avoided, en: en.kpiCo2Avoided },
      unit: 'tCO2e',
      async compute(db) {
        const s = await new EnergyService(db).summary();
        return s.buildings === 0 ? null : Math.round(s.totals.co2AvoidedKg) / 1000;
      },
    },
    {
      id: 'energy-pv-generated-year',
      names: { th: th.kpiGenerated, en: en.kpiGenerated },
      unit: 'MWh',
      async compute(db) {
        const s = await new EnergyService(db).summary();
        return s.buildings === 0 ? null : Math.round(s.totals.generatedKWh) / 1000;
      },
    },
    {
      id: 'energy-installed-kwp',
      names: { th: th.kpiKwp, en: en.kpiKwp },
      unit: 'kWp',
      async compute(db) {
        const buildings = await new EnergyService(db).buildings();
        return buildings.length === 0 ? null : buildings.reduce((s, b) => s + b.kwp, 0);
      },
    },
  ],
  seed,
  webPath: '/energy',
  permissions: { manage: ['admin', 'office_manager', 'officer'] },
};
