import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { ModuleManifest } from '../../core/modules.ts';
import { entityType } from './entity.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { floodRoutes } from './routes.ts';
import { seed } from './seed.ts';
import { StationService } from './stations.ts';

/** Flood warning (Environment, "disaster-aware city"): stations from devices, levels, shelters. */
export const floodModule: ModuleManifest = {
  id: 'flood',
  dimension: 'environment',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  migrationsDir: join(import.meta.dirname, 'migrations'),
  routes: floodRoutes,
  entityTypes: [entityType],
  kpis: [
    {
      id: 'flood-stations-warning',
      names: { th: th.kpiAtWarning, en: en.kpiAtWarning },
      unit: 'count',
      async compute(db) {
        const stations = await new StationService(db).list();
        if (stations.length === 0) return null;
        return stations.filter((s) => s.status === 'warning' || s.status === 'critical').length;
      },
    },
    {
      id: 'flood-shelter-capacity',
      names: { th: th.kpiShelterCapacity, en: en.kpiShelterCapacity },
      unit: 'people',
      async compute(db) {
        const [row] = await db.rows<{ n: number | null }>(
          sql`SELECT sum(capacity)::int AS n FROM flood_shelters`,
        );
        return row.n;
      },
    },
  ],
  seed,
  webPath: '/flood',
  permissions: { keep: ['admin', 'office_manager', 'officer'] },
};
